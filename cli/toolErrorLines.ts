// What `svmcheck` prints for a ToolError (exit 70): an error in a driver's own JavaScript is a
// "driver crashed" at the driver's file:line, with the driver's frames only; an error in svmcheck
// itself keeps its whole stack, for a bug report. Neither is a finding about the kernel.
import type { ToolError } from '../check/stepFailure.js';
import { userFrames } from '../check/userFrame.js';

export function toolErrorLines(e: ToolError): string[] {
  const cause = e.cause instanceof Error ? e.cause : null;
  const frames = userFrames(cause?.stack);
  const program = e.program !== undefined ? [`program: ${JSON.stringify(e.program)}`] : [];
  if (!cause || frames.length === 0)
    return [
      `svmcheck: ${e.message}: this is a bug in svmcheck or in the driver's code, not a finding`,
      ...program,
      ...(cause?.stack ? [cause.stack] : []),
    ];
  const where = e.message.replace(/^internal error ?/, '').replace(/^\((.*)\)$/, '$1');
  return [
    `svmcheck: driver crashed${where ? ` ${where.replace(/:.*$/s, '')}` : ''}: ${cause.name}: ${cause.message}`,
    ...frames.map((f) => `    ${f.line}`),
    "this is a bug in the driver's JavaScript, not a finding about the kernel (nothing was shrunk or archived)",
    ...program,
  ];
}
