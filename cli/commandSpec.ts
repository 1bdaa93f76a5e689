// The shape of one command's entry in the command table (cli/commandSpecs.ts): its flags with their
// kinds, bounds, defaults and meanings. The parser, `svmcheck CMD --help`, the global usage and the
// README's usage block and flag table are all generated from these entries.

/** A flag without a value: present or absent. */
export interface BoolFlag {
  readonly kind: 'bool';
  readonly short?: string;
  readonly help: string;
}

/** A flag with a value; `value` is its placeholder in usage text (NAME, FILE, DIR|none). */
export interface StringFlag {
  readonly kind: 'string';
  readonly short?: string;
  readonly value: string;
  readonly help: string;
  readonly default?: string;
}

/** A whole number within [min, max]; `default` is absent when it depends on something else. */
export interface IntFlag {
  readonly kind: 'int';
  readonly short?: string;
  readonly value: string;
  readonly help: string;
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}

export type FlagSpec = BoolFlag | StringFlag | IntFlag;

export interface CommandSpec {
  readonly name: string;
  /** The positional arguments in usage text (FILE..., [DIR]); absent when there are none. */
  readonly args?: string;
  /** What the command does, in one or two sentences. */
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
}
