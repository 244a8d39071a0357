// metrics.jsonl: one JSON object per line, appended as training goes. On resume the lines
// written after the checkpoint are dropped first, so the resumed run's lines follow on without
// duplicate steps.
import * as fs from 'node:fs';

export class MetricsFile {
  constructor(readonly file: string) {}

  append(line: object): void {
    fs.appendFileSync(this.file, JSON.stringify(line) + '\n');
  }

  /**
   * Keeps the lines with step <= `step` (and lines without a step), drops the rest and any
   * half-written line a killed process left. Rewrites through a temporary file and a rename.
   */
  truncateAfter(step: number): { kept: number; dropped: number } {
    if (!fs.existsSync(this.file)) return { kept: 0, dropped: 0 };
    const kept: string[] = [];
    let dropped = 0;
    for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        dropped++;
        continue;
      }
      const s = (value as { step?: unknown } | null)?.step;
      if (typeof s === 'number' && s > step) dropped++;
      else kept.push(line);
    }
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, kept.length ? kept.join('\n') + '\n' : '');
    fs.renameSync(tmp, this.file);
    return { kept: kept.length, dropped };
  }
}
