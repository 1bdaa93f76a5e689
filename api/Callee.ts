// A procedure as a caller sees it: where a call goes and what it takes and gives back, so that a
// call's arguments and the value the next step receives are checked by the compiler (the model's
// own `call(fn: string, args: Record<string, unknown>)` is untyped).

/** A procedure that can be called: its procedure-table name, its arguments A and its result R. */
export interface Callee<A extends object, R> {
  /** The procedure-table name a call goes to: the kernel function's name, or `drv:NAME` for a driver's. */
  readonly ref: string;
  /** The value the step after `invoke(this, ...)` receives (its `r` parameter), as the procedure returned it. */
  result(r: unknown): R;
  /** Compile-time only: the argument type (never set). */
  readonly __args?: (a: A) => void;
}
