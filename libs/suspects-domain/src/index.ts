// The suspects context's pure domain (issue 3).
export {};
