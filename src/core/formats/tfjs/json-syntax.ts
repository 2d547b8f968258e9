// Finds where JSON text goes wrong. V8's JSON.parse messages do not always give a position, and
// the user deserves one; this runs only after JSON.parse failed. Iterative: any depth is fine.

export interface JsonSyntaxError {
  /** Index in the text (UTF-16 code units) of the first offending character. */
  index: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: number[] = []; // 0x7b '{' or 0x5b '['
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after' = 'value';
  let i = 0;
  const err = (reason: string): JsonSyntaxError => ({ index: i, reason });
  for (;;) {
    while (i < n && /[ \t\n\r]/.test(text[i])) i++;
    if (i >= n) return state === 'after' && stack.length === 0 ? null : err('unexpected end of the file');
    const c = text[i];
    if (state === 'valueOrClose' && c === ']') { stack.pop(); i++; state = 'after'; continue; }
    if (state === 'keyOrClose' && c === '}') { stack.pop(); i++; state = 'after'; continue; }
    if (state === 'value' || state === 'valueOrClose') {
      if (c === '{') { stack.push(0x7b); i++; state = 'keyOrClose'; continue; }
      if (c === '[') { stack.push(0x5b); i++; state = 'valueOrClose'; continue; }
      if (c === '"') {
        const end = scanString(text, i);
        if (end < 0) { i = -end - 1; return err('invalid or unterminated string'); }
        i = end; state = 'after'; continue;
      }
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m && m[0].length) { i += m[0].length; state = 'after'; continue; }
      const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (lit) { i += lit.length; state = 'after'; continue; }
      return err(`unexpected character '${c}' where a value should be`);
    }
    if (state === 'key' || state === 'keyOrClose') {
      if (c !== '"') return err(`expected a property name in double quotes, found '${c}'`);
      const end = scanString(text, i);
      if (end < 0) { i = -end - 1; return err('invalid or unterminated string'); }
      i = end; state = 'colon'; continue;
    }
    if (state === 'colon') {
      if (c !== ':') return err(`expected ':' after a property name, found '${c}'`);
      i++; state = 'value'; continue;
    }
    // after a value
    const top = stack[stack.length - 1];
    if (top === undefined) return err('unexpected text after the end of the JSON value');
    if (c === ',') { i++; state = top === 0x7b ? 'key' : 'value'; continue; }
    if ((top === 0x7b && c === '}') || (top === 0x5b && c === ']')) { stack.pop(); i++; continue; }
    return err(`expected ',' or '${top === 0x7b ? '}' : ']'}', found '${c}'`);
  }
}

/** Index just past the closing quote of the string at `start`, or −(error index + 1). */
function scanString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -(j + 1);
    if (c === 0x5c) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -(j + 1);
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        j++;
      } else {
        return -(j + 1);
      }
    }
  }
  return -(text.length + 1);
}
