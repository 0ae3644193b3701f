import { addMonths } from '../../../common/calendar.js';
import type { EntityManager } from '@mikro-orm/core';
import { Seeder } from '@mikro-orm/seeder';
import { seededRandom } from '../../../common/demo/random.js';
import { RecruitmentContract, RecruitmentStructure } from '../../../common/events/copies.js';
import { geography } from '../../../common/geography.js';
import {
  CertificationAttempt,
  ContractLot,
  TrainingPath,
  Learner,
  ModuleRegistration,
  ThematicModule,
  TrainingBody,
  TrainingSession,
} from '../entities/index.js';
import {
  PATH_HOURS,
  contractFor,
  effectiveModality,
  pixResult,
  plannedEndDate,
  type CertificationType,
  type ExemptionReason,
} from '../rules/training.js';
import { placementOn } from '../rules/hiring.js';

/** The continuing-education catalogue (Mednum and the hubs, from 2024; Café IA from 2025). */
const MODULES: [code: string, title: string, hours: number, offeredFrom: number][] = [
  ['DEMARCHES', 'Accompagner les démarches administratives en ligne', 7, 2024],
  ['CYBER', 'Cybersécurité et protection des données personnelles', 7, 2024],
  ['PARENTALITE', 'Numérique et parentalité', 7, 2024],
  ['HANDICAP', 'Accompagner les personnes en situation de handicap', 7, 2024],
  ['ATELIER', 'Animer un atelier collectif', 14, 2024],
  ['TPE-PME', 'Accompagner les TPE et PME', 7, 2024],
  ['SANTE', 'Santé numérique et Mon espace santé', 7, 2024],
  ['FRAUDES', 'Prévenir les fraudes et le harcèlement en ligne', 7, 2024],
  ['RESEAUX', 'Réseaux sociaux et e-réputation', 7, 2024],
  ['RESPONSABLE', 'Numérique responsable', 7, 2024],
  ['EMPLOI', 'Numérique, emploi et insertion professionnelle', 7, 2024],
  ['SMARTPHONE', 'Usages du smartphone', 7, 2024],
  ['DIAGNOSTIC', 'Diagnostic des compétences numériques', 7, 2024],
  ['RESEAU-LOCAL', 'Travailler en réseau avec les acteurs locaux', 7, 2024],
  ['DONNEES', 'Comprendre et utiliser les données publiques', 7, 2024],
  ['CAFE-IA', 'Café IA : animer un temps d’échange sur l’intelligence artificielle', 7, 2025],
];

const OVERSEAS = (departementCode: string) => departementCode.length === 3;
const EXEMPTIONS: ExemptionReason[] = ['CCP1_HOLDER', 'REMN_HOLDER', 'CATIC', 'USETIC'];

/**
 * Training for every advisor recruitment hired or is hiring, as training's copies of recruitment's contracts and
 * structures hold them (recruitment's demo seed publishes them; the whole system's seeding delivers those events
 * before this seed runs; with no copies it seeds the catalogue and the sessions to come only): from the first day
 * of the advisor's first contract, a path under the contract of that date (or an exemption) with the employer of
 * that contract, sessions grouped by lot, length and start date with the 8-learner rule applied, certification
 * attempts with retakes, and thematic modules from 2024; an advisor whose contract was broken off may have
 * abandoned; one starting after today is to enrol. Everything is derived from `seededRandom(advisor id)`, so the
 * data is the same on every run.
 */
export class DemoSeeder extends Seeder {
  // No world from the context: the people are recruitment's, read from the copies.
  async run(em: EntityManager): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    await em.transactional(async (tx) => {
      const afpa = tx.create(TrainingBody, { name: 'Afpa', siret: null });
      const simplon = tx.create(TrainingBody, { name: 'Simplon.co', siret: null });
      const fabrik = tx.create(TrainingBody, { name: 'La Fabrik', siret: null });
      const francilin = tx.create(TrainingBody, { name: "Francil'In", siret: null });
      const lot = (contract: 'CONTRACT_2021' | 'CONTRACT_2024', lotNumber: number, label: string, holder: TrainingBody) =>
        tx.create(ContractLot, {
          contract,
          contractNumber: contract === 'CONTRACT_2021' ? 'CNFS2021' : 'CNFS2024',
          lotNumber,
          label,
          holder,
          startDate: contract === 'CONTRACT_2021' ? '2021-01-01' : '2024-01-01',
          endDate: contract === 'CONTRACT_2021' ? '2024-03-31' : '2027-12-31',
        });
      const lots = {
        north: lot('CONTRACT_2021', 1, 'Hexagone nord et Corse', afpa),
        south: lot('CONTRACT_2021', 2, 'Hexagone sud', simplon),
        overseas2021: lot('CONTRACT_2021', 3, 'Outre-mer', afpa),
        mainland: lot('CONTRACT_2024', 1, 'Hexagone et Corse', fabrik),
        overseas: lot('CONTRACT_2024', 2, 'Outre-mer', francilin),
      };
      const modules = MODULES.map(([code, title, hours, offeredFrom]) => tx.create(ThematicModule, { code, title, hours, offeredFrom }));

      const copied = await tx.find(RecruitmentContract, {}, { orderBy: { conseillerId: 'asc', miseEnRelationId: 'asc' } });
      const structures = new Map((await tx.find(RecruitmentStructure, {})).map((s) => [s.structureId, s]));
      const communes = new Map(geography().communes.map((c) => [c.code, c.nom]));
      const contractsOf = new Map<number, RecruitmentContract[]>();
      for (const c of copied) {
        if (!contractsOf.has(c.conseillerId)) contractsOf.set(c.conseillerId, []);
        contractsOf.get(c.conseillerId)!.push(c);
      }
      const sessions = new Map<string, { session: TrainingSession; paths: TrainingPath[] }>();
      for (const [conseillerId, contracts] of contractsOf) {
        // The first day in post: the start of the first contract signed or being signed (none: a candidate).
        const startDate = contracts
          .flatMap((c) => {
            const start = c.status === 'RECRUTEE' ? c.startDate : c.employedFrom;
            return start ? [start] : [];
          })
          .sort()[0];
        const placement = startDate ? placementOn(contracts, startDate) : null;
        const structure = placement ? structures.get(placement.structureId) : undefined;
        if (!startDate || !structure) continue;
        const person = { id: conseillerId, startDate, leftEarly: contracts.some((c) => c.status === 'FINALISEE_RUPTURE') };
        const random = seededRandom(person.id);
        const territory = {
          structureId: structure.structureId,
          departementCode: structure.departementCode,
          regionCode: structure.regionCode,
        };
        const attempts: { type: CertificationType; date: string; passed: boolean; pix?: number[] }[] = [];

        if (random.chance(0.06)) {
          const reason = random.pick(EXEMPTIONS);
          tx.create(Learner, {
            conseillerId: person.id,
            ...territory,
            entryDate: person.startDate,
            exemptionReason: reason,
            exemptedOn: person.startDate,
          });
        } else if (person.startDate > today) {
          // Not in post yet (a contract being signed, or signed to start later): positioned, to enrol.
          tx.create(Learner, { conseillerId: person.id, ...territory, entryDate: person.startDate });
          const hours = random.pick(PATH_HOURS[contractFor(person.startDate)]);
          const endDate = plannedEndDate(person.startDate, hours);
          tx.create(TrainingPath, { conseillerId: person.id, hours, status: 'TO_ENROL', startDate: person.startDate, endDate });
        } else {
          tx.create(Learner, { conseillerId: person.id, ...territory, entryDate: person.startDate });
          const contract = contractFor(person.startDate);
          const hours = random.pick(PATH_HOURS[contract]);
          const lotOf =
            contract === 'CONTRACT_2024'
              ? OVERSEAS(territory.departementCode)
                ? lots.overseas
                : lots.mainland
              : OVERSEAS(territory.departementCode)
                ? lots.overseas2021
                : ['13', '33', '69', '2A', '974'].includes(territory.departementCode)
                  ? lots.south
                  : lots.north;
          const key = `${lotOf.lotNumber}|${contract}|${hours}|${person.startDate}`;
          if (!sessions.has(key)) {
            sessions.set(key, {
              paths: [],
              session: tx.create(TrainingSession, {
                lot: lotOf,
                place: `${lotOf.holder.name}, ${communes.get(structure.communeCode) ?? structure.name}`,
                departementCode: territory.departementCode,
                startDate: person.startDate,
                endDate: plannedEndDate(person.startDate, hours),
                hours,
                rhythm: hours >= 280 ? 'ALTERNATING' : 'CONTINUOUS',
                plannedModality: 'IN_PERSON',
                modality: 'IN_PERSON',
                capacity: 16,
                status: 'CONFIRMED',
                confirmedAt: new Date(`${person.startDate}T09:00:00Z`),
              }),
            });
          }
          const group = sessions.get(key)!;
          const { session } = group;
          const abandoned = person.leftEarly && random.chance(0.5);
          const path = tx.create(TrainingPath, {
            conseillerId: person.id,
            hours,
            status: abandoned ? 'ABANDONED' : session.endDate < today ? 'COMPLETED' : 'IN_PROGRESS',
            startDate: session.startDate,
            endDate: session.endDate,
            rhythm: session.rhythm,
            modality: session.modality,
            session,
            enrolledAt: new Date(`${addMonths(person.startDate, -1)}T09:00:00Z`),
            abandonedOn: abandoned ? session.startDate : null,
            abandonReason: abandoned ? 'Rupture du contrat' : null,
          });
          group.paths.push(path);
          if (path.status === 'COMPLETED') {
            // First sitting 1–5 months after training, a retake two months after a failure; some never sit (overdue).
            for (const type of ['CCP1', 'PIX'] as const) {
              if (random.chance(0.15)) continue;
              let date = addMonths(session.endDate, random.int(1, 5));
              for (let attempt = 1; attempt <= 2 && date <= today; attempt++) {
                const pix = type === 'PIX' ? [random.int(3, 7), random.int(4, 7), random.int(4, 8)] : undefined;
                const passed = pix ? pixResult(pix) === 'PASSED' : random.chance(0.75);
                attempts.push({ type, date, passed, pix });
                if (passed) break;
                date = addMonths(date, 2);
              }
            }
            if (attempts.some((a) => a.type === 'CCP1' && a.passed) && random.chance(0.2)) {
              attempts.push(
                { type: 'CCP2', date: addMonths(session.endDate, 8), passed: true },
                { type: 'CCP3', date: addMonths(session.endDate, 8), passed: true },
              );
            }
          }
        }
        const byType = new Map<CertificationType, number>();
        for (const a of attempts.filter((x) => x.date <= today)) {
          byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
          tx.create(CertificationAttempt, {
            conseillerId: person.id,
            type: a.type,
            attempt: byType.get(a.type)!,
            date: a.date,
            result: a.passed ? 'PASSED' : 'FAILED',
            pixSkillLevels: a.pix ?? null,
          });
        }
        // Continuing education from 2024: most advisors keep up, some fall behind.
        const diligence = random.next();
        const registered = new Set<string>();
        for (let year = 2024; `${year}-01-01` <= today; year++) {
          const count = diligence < 0.2 ? 0 : diligence < 0.5 ? 1 : 2;
          for (let i = 0; i < count; i++) {
            const date = `${year}-${String(random.int(2, 11)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
            const module = random.pick(modules.filter((m) => m.offeredFrom <= year));
            if (date >= person.startDate && date <= today && !registered.has(`${module.code}|${date}`)) {
              registered.add(`${module.code}|${date}`);
              tx.create(ModuleRegistration, { conseillerId: person.id, module, date, status: random.chance(0.9) ? 'ATTENDED' : 'ABSENT' });
            }
          }
        }
      }
      // Open sessions of the current contract, so the demo has somewhere to enrol (one per path length and lot).
      for (const [i, hours] of PATH_HOURS.CONTRACT_2024.entries()) {
        for (const [lotOf, place, departementCode] of [
          [lots.mainland, 'La Fabrik, Lyon', '69'],
          [lots.overseas, "Francil'In, Saint-Denis", '974'],
        ] as const) {
          const startDate = `2027-0${3 + i}-01`;
          tx.create(TrainingSession, {
            lot: lotOf,
            place,
            departementCode,
            startDate,
            endDate: plannedEndDate(startDate, hours),
            hours,
            rhythm: 'ALTERNATING',
            plannedModality: 'IN_PERSON',
            modality: 'IN_PERSON',
            capacity: 16,
            status: 'PLANNED',
          });
        }
      }
      // The 8-learner rule: sessions with fewer seated learners ran remote.
      for (const { session, paths } of sessions.values()) {
        session.modality = effectiveModality(session.plannedModality, paths.filter((p) => p.status !== 'ABANDONED').length);
        for (const path of paths) path.modality = session.modality;
      }
    });
  }
}
