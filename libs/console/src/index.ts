export { createConsole, CONSOLE_BASE, type ConsoleOptions, type ConsoleSettings, type SeedProgress } from './console.js';
export { scorecard, forceName, SCORECARD_COLUMNS, SUPPRESSED_TEXT, type Cell, type Scorecard } from './figures.js';
export type { IdentityProviderSettings } from './sign-in.js';
export { localIdentityProvider, type LocalIdentityProviderOptions } from './local-identity-provider.js';
