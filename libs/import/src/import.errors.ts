/** The file as a whole can't be imported (missing, unreadable, wrong header, broken CSV). */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}
