import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const entryPoints = ['../src/index.ts', '../src/operators/index.ts', '../src/http/index.ts', '../src/testing/index.ts', '../src/opencv/index.ts', '../src/ffmpeg/index.ts', '../src/nestjs/index.ts'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
const program = ts.createProgram(entryPoints, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
const checker = program.getTypeChecker();

function publicExports(entry: string): Array<[string, ts.Symbol]> {
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map((symbol) => [symbol.getName(), symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol]);
}

/** The entry points that check what they are given, and say what they throw. */
const VALIDATING = new Set(['rtspFrames$', 'rtspEvents$', 'rtspConnection', 'cameraAddress', 'latestFrame', 'shareConnection', 'captureWatchdog', 'opencvCaptureSource', 'RtspStream']);

describe('every public export has TSDoc: a summary; functions and classes an example with its output; validating factories @throws', () => {
  for (const entry of entryPoints) {
    for (const [name, symbol] of publicExports(entry)) {
      it(`${entry.replace(/.*src\/(?:(\w+)\/)?index\.ts$/, (_, sub: string | undefined) => (sub ? `rtsp-rx/${sub}` : 'rtsp-rx'))}: ${name}`, () => {
        const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
        expect(summary.length, 'summary').toBeGreaterThan(20);
        const tags = symbol.getJsDocTags(checker);
        const declarations = [...(symbol.getDeclarations() ?? []), ...(symbol.valueDeclaration === undefined ? [] : [symbol.valueDeclaration])];
        // Constructor and signature docs count for a class.
        const constructorTags = declarations.filter(ts.isClassDeclaration).flatMap((declaration) => declaration.members.filter(ts.isConstructorDeclaration)).flatMap((constructor) => ts.getJSDocTags(constructor).map((tag) => tag.tagName.text));
        if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) {
          const examples = tags.filter((tag) => tag.name === 'example').map((tag) => ts.displayPartsToString(tag.text));
          expect(examples.length, '@example').toBeGreaterThan(0);
          expect(examples.some((example) => /\/\/ |→/.test(example)), '@example shows its output in a comment').toBe(true);
        }
        if (VALIDATING.has(name)) expect([...tags.map((tag) => tag.name), ...constructorTags], '@throws').toContain('throws');
      });
    }
  }
});
