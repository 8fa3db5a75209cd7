// A training problem the user can fix (a target that is not there, tables that
// do not join): the CLI prints its message as one line, without a stack.
export class TrainError extends Error {
  override name = 'TrainError';
}
