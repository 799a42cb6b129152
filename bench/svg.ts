/** A small SVG with two panels: latency distributions (CDF) and RSS over time. No dependencies. */
export function chart(title: string, distributions: Record<string, number[]>, rss: ReadonlyArray<readonly [number, number]>): string {
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const panel = (x: number, heading: string, xLabel: string, yLabel: string, series: Array<{ name: string; points: Array<[number, number]> }>, fromZero: boolean) => {
    const all = series.flatMap((s) => s.points);
    const xMin = fromZero ? 0 : Math.min(...all.map(([px]) => px));
    const xMax = Math.max(xMin + 1, ...all.map(([px]) => px));
    const yMax = Math.max(1, ...all.map(([, py]) => py));
    const sx = (v: number) => x + 50 + ((v - xMin) / (xMax - xMin)) * 380;
    const sy = (v: number) => 260 - (v / yMax) * 200;
    const lines = series.map(
      (s, i) =>
        `<polyline fill="none" stroke="${colours[i % colours.length]}" stroke-width="2" points="${s.points.map(([px, py]) => `${sx(px).toFixed(1)},${sy(py).toFixed(1)}`).join(' ')}"/>` +
        `<text x="${x + 60}" y="${80 + i * 16}" fill="${colours[i % colours.length]}" font-size="12">${s.name}</text>`,
    );
    return [
      `<text x="${x + 50}" y="40" font-size="14" font-weight="bold">${heading}</text>`,
      `<line x1="${x + 50}" y1="260" x2="${x + 430}" y2="260" stroke="#333"/><line x1="${x + 50}" y1="60" x2="${x + 50}" y2="260" stroke="#333"/>`,
      `<text x="${x + 240}" y="290" font-size="12" text-anchor="middle">${xLabel} (${xMin.toFixed(0)} to ${xMax.toFixed(0)})</text>`,
      `<text x="${x + 15}" y="160" font-size="12" transform="rotate(-90 ${x + 15} 160)" text-anchor="middle">${yLabel} (0 to ${yMax.toFixed(0)})</text>`,
      ...lines,
    ].join('\n');
  };
  const cdf = Object.entries(distributions).map(([name, samples]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return { name, points: sorted.map((value, index) => [value, (100 * (index + 1)) / sorted.length] as [number, number]) };
  });
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="310" font-family="sans-serif">',
    '<rect width="960" height="310" fill="white"/>',
    panel(0, title, 'latency ms', '% of frames', cdf, false),
    panel(480, 'Soak: application RSS', 'minutes', 'MiB', [{ name: 'rtsp-rx, 4 cameras', points: rss.map(([m, r]) => [m, r]) }], true),
    '</svg>',
    '',
  ].join('\n');
}
