import { flag, integer, variable, type Service } from './variable.js';

/** The singletons (ADR 0037): one replica works, the others wait for its leader lock. */
const SINGLETONS = ['relay', 'process-manager', 'national', 'sealer', 'quickstart'] as const satisfies readonly Service[];

/** Running the backbone as an operator does: singletons that fail over (issue 15). */
export const OPERATIONS_VARIABLES = {
  NOM_LEADER_LOCK: variable({
    schema: flag(true),
    default: '`true`',
    services: SINGLETONS,
    secret: false,
    description:
      'take a PostgreSQL leader lock before running a singleton loop, so that two replicas are safe: one works, the other waits (ADR 0037); ' +
      '`false` only where one process is guaranteed',
  }),
  NOM_LEADER_RETRY_MS: variable({
    schema: integer(1000, 100, 60_000),
    default: '`1000`',
    services: SINGLETONS,
    secret: false,
    description:
      'how often a standby replica asks for the leader lock again, and the leader checks its lock session: the failover time is about this',
  }),
} as const;
