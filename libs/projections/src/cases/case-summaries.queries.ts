import type { EntityManager } from 'typeorm';
import { CaseSummary } from './case-summary.entity.js';

/** The case summaries' queries, over a force projector's database (`ForceProjector.manager`). */
export function listCaseSummaries(em: EntityManager, options: { status?: string; limit?: number; offset?: number } = {}): Promise<CaseSummary[]> {
  return em.getRepository(CaseSummary).find({
    where: options.status ? { status: options.status as CaseSummary['status'] } : {},
    order: { recordedAt: 'DESC', caseId: 'ASC' },
    take: Math.min(options.limit ?? 50, 500),
    skip: options.offset ?? 0,
  });
}

export function getCaseSummary(em: EntityManager, caseId: string): Promise<CaseSummary | null> {
  return em.getRepository(CaseSummary).findOne({ where: { caseId } });
}
