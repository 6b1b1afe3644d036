/** Handlebars helpers available in every view. Keep them tiny: views show, services decide. */
export const viewHelpers = {
  eq: (a: unknown, b: unknown) => a === b,
  year: () => new Date().getUTCFullYear(),
};
