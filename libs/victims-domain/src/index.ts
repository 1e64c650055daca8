// The victims context's pure domain (issue 3).
export {};
