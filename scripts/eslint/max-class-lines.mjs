// A class body over `max` lines (default 250) holds more than one responsibility (issue 17, item 2): split it.
// ESLint has no such rule (max-lines counts files, max-lines-per-function functions), so the project keeps this one.
export const maxClassLines = {
  meta: {
    type: 'suggestion',
    docs: { description: 'limit the number of lines of a class' },
    schema: [{ type: 'integer', minimum: 1 }],
    messages: { tooLong: 'Class {{name}} has {{lines}} lines (max {{max}}): split it by responsibility.' },
  },
  create(context) {
    const max = context.options[0] ?? 250;
    const check = (node) => {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines > max) context.report({ node, messageId: 'tooLong', data: { name: node.id?.name ?? '(anonymous)', lines, max } });
    };
    return { ClassDeclaration: check, ClassExpression: check };
  },
};

export default { rules: { 'max-class-lines': maxClassLines } };
