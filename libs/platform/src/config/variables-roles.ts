import { text, variable } from './variable.js';

/** The PostgreSQL roles `nom migrate` creates and grants (ADR 0035), by the suffix of their password variables. */
export const DATABASE_ROLES = ['OWNER', 'API', 'RELAY', 'PROJECTOR', 'PROCESS_MANAGER', 'NATIONAL', 'SEALER', 'RESEARCH'] as const;
type Role = (typeof DATABASE_ROLES)[number];

const password = (role: Role) =>
  variable({
    schema: text(),
    default: '–',
    services: ['nom migrate'],
    secret: true,
    description: `password of the role \`nom_${role.toLowerCase()}\` (at least 12 characters); a role without one is not created or changed`,
  });
const passwordFile = (role: Role) =>
  variable({
    schema: text(),
    default: '–',
    services: ['nom migrate'],
    secret: false,
    description: `or: a file holding the password of \`nom_${role.toLowerCase()}\` (a Compose or Kubernetes secret)`,
  });

/** Least-privilege PostgreSQL (issue 12, item 2): the bootstrap connection and each role's password. */
export const DATABASE_ROLE_VARIABLES = {
  NOM_ADMIN_DATABASE_URL: variable({
    schema: text(),
    default: '–',
    services: ['nom migrate'],
    secret: true,
    description:
      "a connection that may create roles (the server's bootstrap superuser): `nom migrate` first creates the owner and the service roles; " +
      'unset: the roles must exist',
  }),
  NOM_DB_PASSWORD_NOM_OWNER: password('OWNER'),
  NOM_DB_PASSWORD_NOM_OWNER_FILE: passwordFile('OWNER'),
  NOM_DB_PASSWORD_NOM_API: password('API'),
  NOM_DB_PASSWORD_NOM_API_FILE: passwordFile('API'),
  NOM_DB_PASSWORD_NOM_RELAY: password('RELAY'),
  NOM_DB_PASSWORD_NOM_RELAY_FILE: passwordFile('RELAY'),
  NOM_DB_PASSWORD_NOM_PROJECTOR: password('PROJECTOR'),
  NOM_DB_PASSWORD_NOM_PROJECTOR_FILE: passwordFile('PROJECTOR'),
  NOM_DB_PASSWORD_NOM_PROCESS_MANAGER: password('PROCESS_MANAGER'),
  NOM_DB_PASSWORD_NOM_PROCESS_MANAGER_FILE: passwordFile('PROCESS_MANAGER'),
  NOM_DB_PASSWORD_NOM_NATIONAL: password('NATIONAL'),
  NOM_DB_PASSWORD_NOM_NATIONAL_FILE: passwordFile('NATIONAL'),
  NOM_DB_PASSWORD_NOM_SEALER: password('SEALER'),
  NOM_DB_PASSWORD_NOM_SEALER_FILE: passwordFile('SEALER'),
  NOM_DB_PASSWORD_NOM_RESEARCH: password('RESEARCH'),
  NOM_DB_PASSWORD_NOM_RESEARCH_FILE: passwordFile('RESEARCH'),
} as const;
