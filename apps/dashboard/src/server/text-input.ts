/** PostgreSQL's text holds no NUL character: a query that carries one fails instead of matching nothing. */
export const storableText = (text: string) => !text.includes("\0");
