/**
 * The 1-based line of the first JSON syntax error in `text`, or undefined when it is valid JSON.
 * `JSON.parse` does not always say where it failed, and a line is what a person needs to fix a
 * data file; this is a plain recursive-descent scan of the grammar that stops at the first error.
 */
export function locateJsonError(text: string): number | undefined {
  let position = 0;
  const fail = (): never => {
    throw new ScanError(position);
  };
  const skipSpace = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position]!)) position += 1;
  };
  const expect = (literal: string) => {
    if (text.startsWith(literal, position)) position += literal.length;
    else fail();
  };
  const value = (): void => {
    skipSpace();
    const character = text[position];
    if (character === '{') return container('}', true);
    if (character === '[') return container(']', false);
    if (character === '"') return string();
    if (character === 't') return expect('true');
    if (character === 'f') return expect('false');
    if (character === 'n') return expect('null');
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(position, position + 64));
    if (!match) fail();
    position += match![0].length;
  };
  const string = () => {
    position += 1;
    while (position < text.length && text[position] !== '"') {
      if (text[position] === '\n') fail();
      position += text[position] === '\\' ? 2 : 1;
    }
    if (position >= text.length) fail();
    position += 1;
  };
  const container = (close: string, keyed: boolean) => {
    position += 1;
    skipSpace();
    if (text[position] === close) {
      position += 1;
      return;
    }
    for (;;) {
      if (keyed) {
        skipSpace();
        if (text[position] !== '"') fail();
        string();
        skipSpace();
        expect(':');
      }
      value();
      skipSpace();
      if (text[position] === ',') {
        position += 1;
        continue;
      }
      if (text[position] === close) {
        position += 1;
        return;
      }
      fail();
    }
  };
  try {
    value();
    skipSpace();
    if (position < text.length) fail();
    return undefined;
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    return text.slice(0, Math.min(error.position, text.length)).split('\n').length;
  }
}

class ScanError extends Error {
  constructor(readonly position: number) {
    super('JSON syntax error');
  }
}
