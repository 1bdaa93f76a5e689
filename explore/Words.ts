// A growable buffer of 32-bit words with a read cursor: what the state codec writes and reads.
// Plain data values (procedure locals, driver state) are written with type tags; strings and
// object key lists (shapes) are interned in tables the writer and reader share. Encoding is exact:
// undefined, null, false, 0 and a missing key all differ, and object keys keep their order.
// A string's or shape's id is a 32-bit hash of its content, not the order it was first seen in, so
// that codecs on several threads (explore --workers) write every state alike and need only to
// exchange the table entries each has met (tables(), learn()); two contents with one id are
// refused, loudly (the set of strings a model uses is fixed by its code: it would fail every time).
import { grown } from './grown.js';

const T_UNDEF = 1;
const T_NULL = 2;
const T_FALSE = 3;
const T_TRUE = 4;
const T_INT = 5;
const T_F64 = 6;
const T_STR = 7;
const T_ARR = 8;
const T_OBJ = 9;

/** Refuses class instances (Map, Set, Date, ...): their contents are not own enumerable fields, so they would be lost. */
function plainObject(v: object): void {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null)
    throw new Error(
      `state codec: not plain data (${(v as { constructor?: { name?: string } }).constructor?.name ?? 'object'})`,
    );
}

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

export class Words {
  buf: Int32Array = new Int32Array(256);
  n = 0;
  /** What is being read, and the read cursor. */
  private src: Int32Array = new Int32Array(0);
  at = 0;
  private readonly ids = new Map<string, number>();
  private readonly strs = new Map<number, string>();
  /** Key lists of records by id, and the ids seen per context (e.g. per procedure). */
  private readonly shapes = new Map<number, string[]>();
  private readonly shapesOf = new Map<string, number[]>();
  private readonly shapesByFirst = new Map<string, number[]>();
  /** Per shape, a function writing a record's values in key order (property reads by name). */
  private readonly writers = new Map<number, (v: Record<string, unknown>, w: Words) => void>();
  /** Per shape, a function building the record from the values read next (see reader()). */
  private readonly readers = new Map<number, (next: () => unknown) => Record<string, unknown>>();
  /** Strings and shapes interned since tables() last gave them out. */
  private newStrs: string[] = [];
  private newShapes: string[][] = [];
  private readonly nextValue = (): unknown => this.readValue();

  clear(): void {
    this.n = 0;
  }

  push(w: number): void {
    if (this.n === this.buf.length) this.buf = grown(this.buf);
    this.buf[this.n++] = w;
  }

  /** Appends src[from..from+len), words already encoded (a segment of another state). */
  copy(src: Int32Array, from: number, len: number): void {
    while (this.n + len > this.buf.length) this.buf = grown(this.buf);
    const buf = this.buf;
    for (let i = 0; i < len; i++) buf[this.n + i] = src[from + i] as number;
    this.n += len;
  }

  str(s: string): void {
    this.push(this.ids.get(s) ?? this.internStr(s));
  }

  private internStr(s: string): number {
    const id = fnv1a(s, 0x811c9dc5);
    const had = this.strs.get(id);
    if (had !== undefined && had !== s)
      throw new Error(`Words: strings ${JSON.stringify(had)} and ${JSON.stringify(s)} have one id`);
    this.strs.set(id, s);
    this.ids.set(s, id);
    this.newStrs.push(s);
    return id;
  }

  private internShape(keys: string[]): number {
    // Another basis than strings', and a separator no key contains.
    const id = fnv1a(keys.join('\u0000'), 0x01000193);
    const had = this.shapes.get(id);
    if (had !== undefined) {
      if (had.length !== keys.length || had.some((k, i) => k !== keys[i]))
        throw new Error(`Words: key lists [${had.join(', ')}] and [${keys.join(', ')}] have one id`);
      return id;
    }
    this.shapes.set(id, keys);
    this.newShapes.push(keys);
    return id;
  }

  /** The strings and shapes interned since the last call (for another thread's codec to learn). */
  tables(): { strs: string[]; shapes: string[][] } {
    const out = { strs: this.newStrs, shapes: this.newShapes };
    this.newStrs = [];
    this.newShapes = [];
    return out;
  }

  /** Interns another codec's strings and shapes, so that states it wrote can be read here. */
  learn(t: { strs: readonly string[]; shapes: readonly (readonly string[])[] }): void {
    for (const s of t.strs) if (!this.ids.has(s)) this.internStr(s);
    for (const k of t.shapes) this.internShape(k.slice());
  }

  /** Writes any plain-data value; object keys keep their insertion order. */
  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v) {
          this.push(T_INT);
          this.push(v);
        } else {
          f64[0] = v;
          this.push(T_F64);
          this.push(f64w[0] as number);
          this.push(f64w[1] as number);
        }
        return;
      case 'string':
        this.push(T_STR);
        this.str(v);
        return;
      case 'boolean':
        this.push(v ? T_TRUE : T_FALSE);
        return;
      case 'undefined':
        this.push(T_UNDEF);
        return;
      case 'object': {
        if (v === null) {
          this.push(T_NULL);
          return;
        }
        if (Array.isArray(v)) {
          this.push(T_ARR);
          this.push(v.length);
          for (let i = 0; i < v.length; i++) this.value(v[i]);
          return;
        }
        plainObject(v);
        this.push(T_OBJ);
        const id = this.shapeOf(v as Record<string, unknown>);
        this.push(id);
        this.writer(id)(v as Record<string, unknown>, this);
        return;
      }
      default:
        throw new Error(`state codec: not plain data (${typeof v})`);
    }
  }

  /**
   * The id of an object's key list (in insertion order, which is part of the value: the model may
   * iterate it). Shapes are looked up by first key, so a record costs no string building.
   */
  private shapeOf(v: Record<string, unknown>): number {
    let first = '';
    let n = 0;
    for (const k in v) {
      if (n === 0) first = k;
      n++;
    }
    let ids = this.shapesByFirst.get(first);
    if (!ids) {
      ids = [];
      this.shapesByFirst.set(first, ids);
    }
    for (const c of ids) {
      const keys = this.shapes.get(c) as string[];
      if (keys.length !== n) continue;
      let i = 0;
      let same = true;
      for (const k in v)
        if (keys[i++] !== k) {
          same = false;
          break;
        }
      if (same) return c;
    }
    const id = this.internShape(Object.keys(v));
    ids.push(id);
    return id;
  }

  /**
   * Writes a record (a procedure's locals): its key list once as a shape id, then the values. The
   * context narrows the search: records of one procedure have few distinct key lists.
   */
  record(context: string, v: Record<string, unknown>): void {
    plainObject(v);
    let ids = this.shapesOf.get(context);
    if (!ids) {
      ids = [];
      this.shapesOf.set(context, ids);
    }
    let id = -1;
    for (const c of ids) {
      const keys = this.shapes.get(c) as string[];
      let i = 0;
      let same = true;
      for (const k in v) {
        if (keys[i] !== k) {
          same = false;
          break;
        }
        i++;
      }
      if (same && i === keys.length) {
        id = c;
        break;
      }
    }
    if (id < 0) {
      id = this.internShape(Object.keys(v));
      ids.push(id);
    }
    this.push(id);
    const keys = this.shapes.get(id) as string[];
    for (let i = 0; i < keys.length; i++) this.value(v[keys[i] as string]);
  }

  /** Reads a record written by record(). */
  readRecord(): Record<string, unknown> {
    return this.reader(this.next())(this.nextValue);
  }

  /** The writer of records of one shape: reads each key by name, in the shape's order. */
  private writer(id: number): (v: Record<string, unknown>, w: Words) => void {
    let f = this.writers.get(id);
    if (f) return f;
    const keys = this.shapes.get(id) as string[];
    f = new Function('v', 'w', keys.map((k) => `w.value(v[${JSON.stringify(k)}]);`).join('\n')) as (
      v: Record<string, unknown>,
      w: Words,
    ) => void;
    this.writers.set(id, f);
    return f;
  }

  /**
   * The builder of records of one shape: an object literal with the shape's keys in order, so every
   * decoded record of a shape gets one hidden class at once (assigning keys one by one was the
   * decoder's largest cost, and left the model's code polymorphic). Literal properties are
   * evaluated in order, as the values were written. `__proto__` as a literal key would set the
   * prototype, so such a shape is built key by key.
   */
  private reader(id: number): (next: () => unknown) => Record<string, unknown> {
    let r = this.readers.get(id);
    if (r) return r;
    const keys = this.shapes.get(id);
    if (!keys)
      throw new Error(
        `Words: no key list ${id} (a state written by a codec whose tables this one has not learnt)`,
      );
    if (keys.includes('__proto__'))
      r = (next) => {
        const out: Record<string, unknown> = {};
        for (const k of keys)
          Object.defineProperty(out, k, {
            value: next(),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        return out;
      };
    else
      r = new Function('next', `return {${keys.map((k) => `${JSON.stringify(k)}: next()`).join(', ')}};`) as (
        next: () => unknown,
      ) => Record<string, unknown>;
    this.readers.set(id, r);
    return r;
  }

  /** Starts reading a stored state. */
  load(src: Int32Array, from: number): void {
    this.src = src;
    this.at = from;
  }

  next(): number {
    return this.src[this.at++] as number;
  }

  readStr(): string {
    const id = this.next();
    const s = this.strs.get(id);
    if (s === undefined)
      throw new Error(
        `Words: no string ${id} (a state written by a codec whose tables this one has not learnt)`,
      );
    return s;
  }

  readValue(): unknown {
    const tag = this.next();
    switch (tag) {
      case T_INT:
        return this.next();
      case T_F64:
        f64w[0] = this.next();
        f64w[1] = this.next();
        return f64[0];
      case T_STR:
        return this.readStr();
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_UNDEF:
        return undefined;
      case T_NULL:
        return null;
      case T_ARR: {
        const n = this.next();
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.readValue();
        return out;
      }
      case T_OBJ:
        return this.reader(this.next())(this.nextValue);
      default:
        throw new Error(`state codec: bad tag ${tag}`);
    }
  }
}

/** FNV-1a over the string's UTF-16 code units, from basis `h`: a 32-bit id. */
function fnv1a(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
