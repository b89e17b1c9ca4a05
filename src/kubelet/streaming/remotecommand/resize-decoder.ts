// Terminal size events: a stream of JSON objects {"Width":w,"Height":h} (Go's json.Decoder reads them
// back to back, so one read may hold several objects, or part of one). No I/O here.
import type { TerminalSize } from '../../runtime/cri.js';

export class ResizeDecoder {
  private text = '';

  /** Feeds bytes; returns the sizes completed so far. Malformed objects are skipped. */
  push(chunk: Buffer | string): TerminalSize[] {
    this.text += chunk.toString();
    const out: TerminalSize[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    let start = -1;
    let consumed = 0;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth++ === 0) start = i;
      } else if (c === '}' && depth > 0 && --depth === 0) {
        const size = toSize(this.text.slice(start, i + 1));
        if (size) out.push(size);
        consumed = i + 1;
      }
    }
    this.text = depth === 0 ? '' : this.text.slice(Math.max(consumed, start));
    return out;
  }
}

function toSize(json: string): TerminalSize | null {
  try {
    const v = JSON.parse(json) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width !== 'number' || typeof v.Height !== 'number') return null;
    return { width: v.Width, height: v.Height };
  } catch {
    return null;
  }
}

/** Turns a byte stream of resize objects into the AsyncIterable the runtime takes. */
export async function* resizeEvents(source: AsyncIterable<Buffer | string>): AsyncIterable<TerminalSize> {
  const d = new ResizeDecoder();
  for await (const chunk of source) yield* d.push(chunk);
}
