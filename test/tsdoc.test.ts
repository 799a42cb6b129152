import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const entryPoints = ['../src/index.ts', '../src/testing/index.ts', '../src/opencv/index.ts', '../src/nestjs/index.ts'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
const program = ts.createProgram(entryPoints, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
const checker = program.getTypeChecker();

function publicExports(entry: string): Array<[string, ts.Symbol]> {
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map((symbol) => [symbol.getName(), symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol]);
}

describe('every public export has TSDoc with a summary and an example', () => {
  for (const entry of entryPoints) {
    for (const [name, symbol] of publicExports(entry)) {
      it(`${entry.replace(/.*src\/(?:(\w+)\/)?index\.ts$/, (_, sub: string | undefined) => (sub ? `rtsp-rx/${sub}` : 'rtsp-rx'))}: ${name}`, () => {
        const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        const examples = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example');
        expect(summary.length, 'summary').toBeGreaterThan(20);
        expect(examples.length, '@example').toBeGreaterThan(0);
      });
    }
  }
});
