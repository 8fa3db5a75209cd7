// Derived-feature expressions: a tiny arithmetic language parsed without eval,
// so the trainer and the worker compute `spend / (income + 1)` identically.
//
//   expr    := sum
//   sum     := product (('+' | '-') product)*
//   product := power (('*' | '/') power)*
//   power   := unary ('^' unary)?
//   unary   := '-' unary | atom
//   atom    := number | name | `quoted name` | fn '(' expr (',' expr)* ')' | '(' expr ')'

export type Expr =
  | { op: 'num'; value: number }
  | { op: 'var'; name: string }
  | { op: 'neg'; arg: Expr }
  | { op: '+' | '-' | '*' | '/' | '^'; left: Expr; right: Expr }
  | { op: 'call'; fn: FunctionName; args: Expr[] };

const FUNCTIONS = {
  log1p: [1, 1],
  log: [1, 1],
  exp: [1, 1],
  sqrt: [1, 1],
  abs: [1, 1],
  min: [2, 8],
  max: [2, 8],
  clip: [3, 3],
  /** bin(x, e1, e2, …): how many edges are ≤ x — a tier index 0..n. */
  bin: [2, 32],
} as const satisfies Record<string, readonly [number, number]>;
type FunctionName = keyof typeof FUNCTIONS;

export class ExprError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position + 1}`);
    this.name = 'ExprError';
  }
}

type Token = { type: 'num' | 'name' | 'punct'; text: string; pos: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new ExprError(`bad number`, i);
      tokens.push({ type: 'num', text: m[0], pos: start });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ type: 'name', text: m[0], pos: start });
      i += m[0].length;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new ExprError('unclosed `quoted name`', i);
      tokens.push({ type: 'name', text: source.slice(i + 1, end), pos: start });
      i = end + 1;
    } else if ('+-*/^(),'.includes(c)) {
      tokens.push({ type: 'punct', text: c, pos: start });
      i++;
    } else {
      throw new ExprError(`unexpected '${c}'`, i);
    }
  }
  return tokens;
}

export function parseExpr(source: string): Expr {
  if (source.length > 500) throw new ExprError('expression longer than 500 characters', 0);
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const fail = (msg: string): never => {
    throw new ExprError(msg, peek()?.pos ?? source.length);
  };
  const accept = (text: string) => {
    if (peek()?.type === 'punct' && peek().text === text) {
      at++;
      return true;
    }
    return false;
  };
  const expect = (text: string) => {
    if (!accept(text)) fail(`expected '${text}'`);
  };

  let depth = 0;
  function sum(): Expr {
    if (++depth > 64) fail('expression nested too deeply');
    let left = product();
    for (;;) {
      if (accept('+')) left = { op: '+', left, right: product() };
      else if (accept('-')) left = { op: '-', left, right: product() };
      else break;
    }
    depth--;
    return left;
  }
  function product(): Expr {
    let left = power();
    for (;;) {
      if (accept('*')) left = { op: '*', left, right: power() };
      else if (accept('/')) left = { op: '/', left, right: power() };
      else return left;
    }
  }
  function power(): Expr {
    const base = unary();
    return accept('^') ? { op: '^', left: base, right: unary() } : base;
  }
  function unary(): Expr {
    return accept('-') ? { op: 'neg', arg: unary() } : atom();
  }
  function atom(): Expr {
    const t = peek();
    if (!t) return fail('unexpected end of expression');
    if (t.type === 'num') {
      at++;
      return { op: 'num', value: Number(t.text) };
    }
    if (t.type === 'name') {
      at++;
      if (accept('(')) {
        if (!(t.text in FUNCTIONS)) throw new ExprError(`unknown function '${t.text}'`, t.pos);
        const fn = t.text as FunctionName;
        const args = [sum()];
        while (accept(',')) args.push(sum());
        expect(')');
        const [lo, hi] = FUNCTIONS[fn];
        if (args.length < lo || args.length > hi) {
          throw new ExprError(
            `${fn}() takes ${lo === hi ? lo : `${lo} to ${hi}`} arguments, got ${args.length}`,
            t.pos,
          );
        }
        return { op: 'call', fn, args };
      }
      return { op: 'var', name: t.text };
    }
    if (accept('(')) {
      const inner = sum();
      expect(')');
      return inner;
    }
    return fail(`unexpected '${t.text}'`);
  }

  const tree = sum();
  if (at < tokens.length) fail(`unexpected '${peek().text}'`);
  return tree;
}

/** Every input name an expression reads, in first-use order. */
export function exprVariables(expr: Expr, out: string[] = []): string[] {
  switch (expr.op) {
    case 'num':
      break;
    case 'var':
      if (!out.includes(expr.name)) out.push(expr.name);
      break;
    case 'neg':
      exprVariables(expr.arg, out);
      break;
    case 'call':
      for (const a of expr.args) exprVariables(a, out);
      break;
    default:
      exprVariables(expr.left, out);
      exprVariables(expr.right, out);
  }
  return out;
}

/**
 * Compiles to a closure over a values array, with each variable resolved to its
 * slot once, so evaluation allocates nothing per record.
 */
export function compileExpr(expr: Expr, slotOf: (name: string) => number): (values: ArrayLike<number>) => number {
  switch (expr.op) {
    case 'num': {
      const v = expr.value;
      return () => v;
    }
    case 'var': {
      const slot = slotOf(expr.name);
      return (x) => x[slot];
    }
    case 'neg': {
      const a = compileExpr(expr.arg, slotOf);
      return (x) => -a(x);
    }
    case 'call': {
      const args = expr.args.map((a) => compileExpr(a, slotOf));
      const [a, b, c] = args;
      switch (expr.fn) {
        case 'log1p':
          return (x) => Math.log1p(a(x));
        case 'log':
          return (x) => Math.log(a(x));
        case 'exp':
          return (x) => Math.exp(a(x));
        case 'sqrt':
          return (x) => Math.sqrt(a(x));
        case 'abs':
          return (x) => Math.abs(a(x));
        case 'clip':
          return (x) => Math.min(Math.max(a(x), b(x)), c(x));
        case 'min':
          return (x) => {
            let m = a(x);
            for (let i = 1; i < args.length; i++) m = Math.min(m, args[i](x));
            return m;
          };
        case 'max':
          return (x) => {
            let m = a(x);
            for (let i = 1; i < args.length; i++) m = Math.max(m, args[i](x));
            return m;
          };
        case 'bin': {
          const edges = args.slice(1);
          return (x) => {
            const v = a(x);
            let n = 0;
            for (const e of edges) if (v >= e(x)) n++;
            return n;
          };
        }
      }
      // The parser admits no other function.
      throw new ExprError(`unknown function ${String(expr.fn)}`, 0);
    }
    default: {
      const e = expr as Extract<Expr, { left: Expr }>;
      const l = compileExpr(e.left, slotOf);
      const r = compileExpr(e.right, slotOf);
      switch (e.op) {
        case '+':
          return (x) => l(x) + r(x);
        case '-':
          return (x) => l(x) - r(x);
        case '*':
          return (x) => l(x) * r(x);
        case '/':
          return (x) => l(x) / r(x);
        case '^':
          return (x) => l(x) ** r(x);
      }
    }
  }
}
