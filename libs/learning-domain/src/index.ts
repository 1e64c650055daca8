// The learning context's pure domain (issue 3).
export {};
