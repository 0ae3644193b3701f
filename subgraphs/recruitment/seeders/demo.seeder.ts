import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as PgEntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { seededRandom, type Random } from '../../../common/demo/random.js';
import { demoWorld, type SeedContext, type DemoPerson, type DemoStructure } from '../../../common/demo/world.js';
import {
  Conseiller,
  ConseillerPersonalData,
  ContractExtension,
  CoordinatorRequest,
  CoselecDecision,
  MiseEnRelation,
  MiseEnRelationEvent,
  PostRequest,
  PrefectOpinion,
  Structure,
} from '../entities/index.js';
import { CONTRACT_TYPES, RUPTURE_REASONS, type ContractType, type MiseEnRelationStatus } from '../entities/vocabulary.js';
import { communeInfo, distanceMetres } from '../rules/geography.js';
import { smicCentsOn } from '../rules/smic.js';
import { contractEventFor, structureEventFor } from '../services/events.js';
import { ownedFacts } from '../consistency.js';
import { writeOutbox } from '../../../common/events/outbox.js';

/**
 * The recruitment side of the shared demo world (common/demo/world.ts): every structure with its
 * application, prefecture opinions, committee decisions and post requests as its status implies; every person
 * with their personal data; mises en relation in each of the 12 statuses, each with the history of the moves
 * that led to it. Per-structure and per-person details are drawn from `seededRandom(id)`, so they are the same
 * on every machine. The id sequences are then moved past the demo's ids.
 */
export class DemoSeeder extends Seeder {
  async run(coreEm: EntityManager, context?: SeedContext): Promise<void> {
    const em = coreEm as PgEntityManager;
    const world = context?.world ?? demoWorld();
    await em.transactional(async (tx) => {
      const structures = new Map(world.structures.map((s) => [s.id, seedStructure(tx, s)]));
      await tx.flush();
      const seeder = new PeopleSeeder(tx, world.structures, structures);
      // The hired first, so the pending recruitments of candidates only take posts left vacant.
      const hiredFirst = [...world.people].sort((a, b) => Number(b.structureId != null) - Number(a.structureId != null) || a.id - b.id);
      // Flushed in batches: one unit of work holding a national-scale world overflows the stack when it cascades.
      for (const [i, person] of hiredFirst.entries()) {
        seeder.seed(person);
        if (i % 500 === 499) await tx.flush();
      }
      await tx.flush();
      await announce(tx);
      for (const table of ['structure', 'conseiller']) {
        await tx.execute(
          `select setval(pg_get_serial_sequence('${tx.config.get('schema')}.${table}', 'id'), (select max(id) from "${tx.config.get('schema')}"."${table}"))`,
        );
      }
    });
  }
}

/**
 * Publishes the seeded world as the steps would have: one event per structure and per contract with its final
 * state (services/events.ts), in the seed's transaction, so the other subgraphs build their copies from them
 * before they seed their own data.
 */
async function announce(tx: PgEntityManager): Promise<void> {
  // Read in bulk (a handful of statements): one step's flush per structure would walk the whole seeded unit of work.
  const { structures, contracts } = await ownedFacts(tx);
  for (const [id, state] of structures) writeOutbox(tx, structureEventFor(state.status), id, state);
  for (const [id, state] of contracts) {
    const event = contractEventFor(state.status, state.renewalOfId != null);
    if (event) writeOutbox(tx, event, id, state);
  }
  await tx.flush();
}

const CONTACT_ROLES = [
  'Directrice générale des services',
  'Responsable du pôle numérique',
  'Directeur',
  'Chargée de mission inclusion numérique',
  'Secrétaire général',
];
const FIRST_NAMES = ['Nathalie', 'Olivier', 'Sophie', 'Julien', 'Isabelle', 'Mehdi', 'Claire', 'Thomas'];
const LAST_NAMES = ['Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent'];

const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
const at = (date: string) => new Date(`${date}T09:00:00Z`);
const TODAY = new Date().toISOString().slice(0, 10);
/** Committee session of a date: 63 sessions between March 2021 and December 2023. */
const coselecNumber = (date: string) =>
  `COSELEC ${Math.min(63, Math.max(1, Math.round((Date.parse(date) - Date.parse('2021-03-24')) / (1000 * 3600 * 24 * 16)) + 1))}`;
const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const phoneOf = (random: Random) => `0${random.pick(['1', '2', '3', '4', '5', '6', '7'])}${String(random.int(10_000_000, 99_999_999))}`;

function seedStructure(tx: EntityManager, s: DemoStructure): Structure {
  const random = seededRandom(10_000 + s.id);
  const commune = communeInfo(s.commune.code);
  const coselecOn = addMonths(s.appliedOn, random.int(2, 5));
  const structure = tx.create(Structure, {
    id: s.id,
    name: s.name,
    siret: s.siret,
    type: s.type,
    status: 'CREEE',
    network: s.network,
    addressLine: `${random.int(1, 60)} ${random.pick(['place de la Mairie', 'rue de la République', 'avenue Jean Jaurès', 'rue Victor Hugo', 'boulevard Pasteur'])}`,
    postalCode: s.commune.codesPostaux?.[0] ?? null,
    communeCode: s.commune.code,
    communeName: s.commune.nom,
    departementCode: s.commune.departement,
    regionCode: s.commune.region,
    latitude: commune?.latitude ?? null,
    longitude: commune?.longitude ?? null,
    isZrr: s.isZrr,
    qpvStatus: ['DEPARTEMENT', 'REGION', 'EPCI'].includes(s.type) ? 'SANS_OBJET' : s.isQpv ? 'OUI' : 'NON',
    isFranceServices: s.isFranceServices,
    contactFirstName: random.pick(FIRST_NAMES),
    contactLastName: random.pick(LAST_NAMES),
    contactRole: random.pick(CONTACT_ROLES),
    contactEmail: `contact@${slug(s.name).slice(0, 40)}.fr`,
    contactPhone: phoneOf(random),
    hasIdentifiedCandidate: random.chance(0.3),
    missionStartDate: addMonths(s.appliedOn, 3),
    requestedAdvisors: Math.max(1, s.postQuota + random.int(0, 1)),
    motivation: `Accompagner les habitants de ${s.commune.nom} vers l'autonomie numérique et les démarches en ligne.`,
    isCoordinatorApplication: s.status === 'REFUS_COORDINATEUR' || s.hasCoordinatorPost,
    coordinatorContractType: s.status === 'REFUS_COORDINATEUR' || s.hasCoordinatorPost ? random.pick(['PT', 'FT'] as const) : null,
    postQuota: 0,
    createdAt: at(s.appliedOn),
  });
  const opinion = (positive: boolean) =>
    tx.create(PrefectOpinion, {
      structure,
      opinion: positive ? 'POSITIF' : 'NEGATIF',
      comment: positive
        ? 'Avis favorable : besoin avéré sur le territoire, structure solide.'
        : "Avis défavorable : l'offre de médiation numérique existe déjà à proximité.",
      author: `pref-${s.commune.departement}@interieur.gouv.fr`,
      insertedAt: at(addMonths(s.appliedOn, 1)),
    });
  const decide = (
    postsGranted: number,
    opinionValue: 'POSITIF' | 'NEGATIF' | 'EXAMEN_COMPLEMENTAIRE',
    on: string,
    extra: Partial<CoselecDecision> = {},
  ) => {
    structure.postQuota = postsGranted;
    structure.coselecAt = at(on);
    return tx.create(CoselecDecision, {
      structure,
      postsGranted,
      opinion: opinionValue,
      number: coselecNumber(on),
      phase: 'PHASE_1',
      insertedAt: at(on),
      ...extra,
    });
  };
  const validate = (on: string) => {
    structure.status = 'VALIDATION_COSELEC';
    structure.validatedAt ??= at(on);
  };

  switch (s.status) {
    case 'CREEE':
      if (random.chance(0.5)) opinion(true);
      break;
    case 'DOUBLON':
      structure.status = 'DOUBLON';
      break;
    case 'EXAMEN_COMPLEMENTAIRE_COSELEC':
      opinion(random.chance(0.5));
      decide(0, 'EXAMEN_COMPLEMENTAIRE', coselecOn, { observations: 'Pièces complémentaires demandées.' });
      structure.status = 'EXAMEN_COMPLEMENTAIRE_COSELEC';
      break;
    case 'REFUS_COSELEC':
      opinion(false);
      decide(0, 'NEGATIF', coselecOn);
      structure.status = 'REFUS_COSELEC';
      break;
    case 'ANNULEE':
      opinion(true);
      decide(1, 'POSITIF', coselecOn);
      validate(coselecOn);
      decide(0, 'POSITIF', addMonths(coselecOn, 6), { number: null, observations: 'Annulation : la structure ne recrute plus.' });
      structure.status = 'ANNULEE';
      break;
    case 'ABANDON': {
      // Phase 2: the structure handed back its only post.
      opinion(true);
      decide(1, 'POSITIF', coselecOn);
      validate(coselecOn);
      const on = addMonths(coselecOn, 24);
      tx.create(PostRequest, {
        structure,
        type: 'RETRAIT',
        status: 'VALIDEE',
        postsBefore: 1,
        postsRequested: 1,
        reason: 'FIN_DE_SUBVENTIONNEMENT',
        phase: 'PHASE_2',
        requestedBy: structure.contactEmail,
        requestedAt: at(on),
        decidedBy: 'admin@anct.gouv.fr',
        decidedAt: at(addMonths(on, 1)),
      });
      decide(0, 'POSITIF', addMonths(on, 1), { number: null, phase: 'PHASE_2' });
      structure.status = 'ABANDON';
      break;
    }
    case 'REFUS_COORDINATEUR':
      tx.create(CoordinatorRequest, {
        structure,
        status: 'REFUSEE',
        dossierNumber: 15_000_000 + s.id,
        prefectOpinion: 'NEGATIF',
        prefectComment: 'Pas de besoin de coordination identifié sur ce territoire.',
        prefectAuthor: `pref-${s.commune.departement}@interieur.gouv.fr`,
        prefectOpinionAt: at(addMonths(s.appliedOn, 1)),
        requestedBy: structure.contactEmail,
        requestedAt: at(s.appliedOn),
        decidedBy: 'admin@anct.gouv.fr',
        decidedAt: at(coselecOn),
      });
      structure.status = 'REFUS_COORDINATEUR';
      break;
    case 'VALIDATION_COSELEC': {
      opinion(true);
      // One in eleven first got a post more, and handed it back in phase 2 (difficulty to recruit).
      const handedBack = s.id % 11 === 0;
      decide(s.postQuota + (handedBack ? 1 : 0), 'POSITIF', coselecOn, { isPriority: s.isZrr || s.isQpv });
      validate(coselecOn);
      if (handedBack) {
        const on = addMonths(coselecOn, 20);
        tx.create(PostRequest, {
          structure,
          type: 'RETRAIT',
          status: 'VALIDEE',
          postsBefore: s.postQuota + 1,
          postsRequested: 1,
          reason: 'DIFFICULTES_RECRUTEMENT',
          phase: 'PHASE_2',
          requestedBy: structure.contactEmail,
          requestedAt: at(on),
          prefectOpinion: 'POSITIF',
          prefectComment: 'Favorable au retrait du poste vacant.',
          prefectOpinionAt: at(addMonths(on, 1)),
          decidedBy: 'admin@anct.gouv.fr',
          decidedAt: at(addMonths(on, 1)),
        });
        decide(s.postQuota, 'POSITIF', addMonths(on, 1), { number: null, phase: 'PHASE_2' });
      }
      if (s.hasCoordinatorPost) {
        const on = addMonths(coselecOn, 8);
        tx.create(CoordinatorRequest, {
          structure,
          status: 'VALIDEE',
          dossierNumber: 15_000_000 + s.id,
          prefectOpinion: 'POSITIF',
          prefectComment: 'Favorable : la structure anime déjà un réseau de médiateurs.',
          prefectAuthor: `pref-${s.commune.departement}@interieur.gouv.fr`,
          prefectOpinionAt: at(on),
          requestedBy: structure.contactEmail,
          requestedAt: at(on),
          decidedBy: 'admin@anct.gouv.fr',
          decidedAt: at(addMonths(on, 1)),
        });
        decide(structure.postQuota + 1, 'POSITIF', addMonths(on, 1), { type: 'COORDINATEUR' });
      }
      // Requests still waiting for a decision, for the admin's "demandes de postes" screen.
      if (s.id % 7 === 0) {
        tx.create(PostRequest, {
          structure,
          type: 'AJOUT',
          status: 'EN_COURS',
          postsBefore: structure.postQuota,
          postsRequested: random.int(1, 2),
          reason: random.pick(['RENFORCER_EQUIPE', 'DEVELOPPER_OFFRE', 'FORTE_DEMANDE'] as const),
          phase: 'PHASE_2',
          requestedBy: structure.contactEmail,
          requestedAt: at(addMonths(TODAY, -1)),
          prefectOpinion: random.chance(0.5) ? 'POSITIF' : null,
        });
      }
      break;
    }
  }
  return structure;
}

/** Steps from creation to a final status, along the state machine (the seed test checks each against it). */
const PATHS: Record<string, MiseEnRelationStatus[]> = {
  NOUVELLE: ['NOUVELLE'],
  INTERESSEE: ['NOUVELLE', 'INTERESSEE'],
  NON_INTERESSEE: ['NOUVELLE', 'NON_INTERESSEE'],
  RECRUTEE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE'],
  FINALISEE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE', 'FINALISEE'],
  NOUVELLE_RUPTURE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE'],
  FINALISEE_RUPTURE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE', 'FINALISEE_RUPTURE'],
  TERMINEE_NATURELLE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE', 'FINALISEE', 'TERMINEE_NATURELLE'],
  TERMINEE: ['NOUVELLE', 'INTERESSEE', 'RECRUTEE', 'FINALISEE', 'TERMINEE'],
  FINALISEE_NON_DISPONIBLE: ['NOUVELLE', 'FINALISEE_NON_DISPONIBLE'],
  NON_DISPONIBLE: ['NOUVELLE', 'NON_DISPONIBLE'],
  RENOUVELLEMENT_INITIEE: ['RENOUVELLEMENT_INITIEE'],
  RENEWED: ['RENOUVELLEMENT_INITIEE', 'FINALISEE'],
};

interface Contract {
  contractType: ContractType;
  contractStartDate: string;
  contractEndDate: string | null;
  grossMonthlySalaryCents: number;
}

class PeopleSeeder {
  /** Posts held per structure, to keep every quota respected while adding pending recruitments. */
  private readonly held = new Map<number, number>();
  private readonly validated: DemoStructure[];
  private readonly coordinatorPlaced = new Set<number>();

  constructor(
    private readonly tx: EntityManager,
    structures: DemoStructure[],
    private readonly entities: Map<number, Structure>,
  ) {
    this.validated = structures.filter((s) => s.status === 'VALIDATION_COSELEC');
  }

  seed(person: DemoPerson): void {
    const random = seededRandom(20_000 + person.id);
    const commune = communeInfo(person.commune.code);
    const hired = person.structureId != null;
    const conseiller = this.tx.create(Conseiller, {
      id: person.id,
      firstName: person.firstName,
      lastName: person.lastName,
      status: person.status,
      postalCode: person.commune.codesPostaux?.[0] ?? null,
      communeCode: person.commune.code,
      communeName: person.commune.nom,
      departementCode: person.commune.departement,
      regionCode: person.commune.region,
      latitude: commune?.latitude ?? null,
      longitude: commune?.longitude ?? null,
      maxDistanceKm: person.maxDistanceKm,
      availableFrom: hired ? person.startDate : addMonths(TODAY, random.int(0, 4)),
      // One candidate in eight withdrew; advisors in post are not available.
      isAvailable: person.status !== 'RECRUTE' && !(person.status === 'CANDIDAT' && person.id % 8 === 0),
      isJobSeeker: random.chance(0.6),
      isEmployed: random.chance(0.3),
      isInTraining: random.chance(0.1),
      hasMedNumDiploma: person.id % 6 === 0,
      medNumDiplomaName:
        person.id % 6 === 0
          ? random.pick(['Titre professionnel REMN', 'DUT Métiers du multimédia et de l’internet', 'Licence pro médiation numérique'])
          : null,
      hasMedNumExperience: random.chance(0.4),
      motivation: 'Je souhaite aider les personnes éloignées du numérique à gagner en autonomie.',
      cvUploadedAt: random.chance(0.7) ? at(person.appliedOn) : null,
      pixShared: person.id % 3 !== 0,
      pixSharedAt: person.id % 3 !== 0 ? at(person.appliedOn) : null,
      pixLevel: person.id % 3 !== 0 ? random.int(1, 3) : null,
      pixSkillProfessional: random.chance(0.7),
      pixSkillResources: random.chance(0.5),
      pixSkillCitizenship: random.chance(0.6),
      structure: person.status === 'RECRUTE' ? person.structureId : null,
      startedAt: person.startDate,
      createdAt: at(person.appliedOn),
    });
    if (
      !conseiller.isJobSeeker &&
      !conseiller.isEmployed &&
      !conseiller.isInTraining &&
      !conseiller.hasMedNumExperience &&
      !conseiller.hasMedNumDiploma
    )
      conseiller.isJobSeeker = true;
    this.tx.create(ConseillerPersonalData, {
      conseiller,
      email: `${slug(person.firstName)}.${slug(person.lastName)}.${person.id}@example.org`,
      phone: `06${String(random.int(10_000_000, 99_999_999))}`,
      birthDate: `${random.int(1965, 2003)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      sex: random.chance(0.55) ? 'FEMME' : 'HOMME',
    });

    if (hired) this.seedContracts(person, conseiller, random);
    else this.seedMatches(person, conseiller, random);
  }

  private mer(
    structureId: number,
    conseiller: Conseiller,
    final: keyof typeof PATHS,
    createdOn: string,
    extra: Partial<MiseEnRelation> = {},
  ): MiseEnRelation {
    const structure = this.entities.get(structureId)!;
    const path = PATHS[final]!;
    const mer = this.tx.create(MiseEnRelation, {
      structure,
      conseiller,
      status: path.at(-1)!,
      distanceMeters: distanceMetres(structure, conseiller),
      createdAt: at(createdOn),
      updatedAt: at(createdOn),
      ...extra,
    });
    path.forEach((status, i) =>
      this.tx.create(MiseEnRelationEvent, {
        miseEnRelation: mer,
        fromStatus: i === 0 ? null : path[i - 1]!,
        toStatus: status,
        actor: ['FINALISEE', 'FINALISEE_RUPTURE', 'TERMINEE'].includes(status) ? 'admin@anct.gouv.fr' : structure.contactEmail,
        at: at(createdOn),
      }),
    );
    if (['RECRUTEE', 'FINALISEE', 'NOUVELLE_RUPTURE'].includes(mer.status))
      this.held.set(structureId, (this.held.get(structureId) ?? 0) + 1);
    return mer;
  }

  private contract(random: Random, start: string, type: ContractType = random.pick(CONTRACT_TYPES)): Contract {
    return {
      contractType: type,
      contractStartDate: start,
      contractEndDate: type === 'CDI' ? null : addMonths(start, type === 'PEC' ? 12 : 24),
      grossMonthlySalaryCents: smicCentsOn(start) + random.int(0, 60) * 1_000,
    };
  }

  /** The hired: their contract(s) with the structure of the demo world, and the matches they had elsewhere. */
  private seedContracts(person: DemoPerson, conseiller: Conseiller, random: Random): void {
    const structureId = person.structureId!;
    const start = person.startDate!;
    const applied = addMonths(start, -2);
    const stamps = {
      recruitmentRequestedBy: this.entities.get(structureId)!.contactEmail,
      recruitmentRequestedAt: at(addMonths(start, -1)),
      recruitmentValidatedBy: 'admin@anct.gouv.fr',
      recruitmentValidatedAt: at(start),
    };
    // Matches with other structures, closed once the person was recruited.
    for (const other of this.nearby(person, random, 2))
      if (other.id !== structureId) this.mer(other.id, conseiller, 'FINALISEE_NON_DISPONIBLE', applied);

    const firstType = person.contractType ?? 'CDD';
    if (person.status === 'RUPTURE') {
      const contract = this.contract(random, start, firstType);
      const ruptureDate = addMonths(start, 8);
      this.mer(structureId, conseiller, 'FINALISEE_RUPTURE', applied, {
        ...contract,
        ...stamps,
        ruptureDate,
        ruptureReason: random.pick(RUPTURE_REASONS),
        ruptureDeclaredBy: stamps.recruitmentRequestedBy,
        ruptureDeclaredAt: at(ruptureDate),
        ruptureValidatedBy: 'admin@anct.gouv.fr',
        ruptureValidatedAt: at(addMonths(ruptureDate, 1)),
      });
      return;
    }
    if (person.status === 'TERMINE') {
      const contract = this.contract(random, start, firstType);
      const end = contract.contractEndDate! < TODAY ? contract.contractEndDate! : addMonths(TODAY, -1);
      this.mer(structureId, conseiller, 'TERMINEE_NATURELLE', applied, { ...contract, contractEndDate: end, ...stamps });
      return;
    }
    // In post. Hired before 2023: a phase-1 contract renewed in phase 2 (three quarters CDI), or being renewed.
    const coordinator = this.isCoordinator(structureId);
    if (start < '2023-01-01') {
      const first = this.contract(random, start, firstType);
      // Phase 2 began when the first agreement (24 months) ended.
      const renewalStart = first.contractEndDate ?? addMonths(start, 24);
      const pending = person.id % 4 === 0;
      const old = this.mer(structureId, conseiller, pending ? 'FINALISEE' : 'TERMINEE', applied, {
        ...first,
        ...stamps,
        isCoordinatorContract: coordinator,
      });
      const renewal = this.contract(random, renewalStart, random.chance(0.75) ? 'CDI' : 'CDD');
      if (pending) {
        // A fixed-term contract was extended while the renewal waits for validation.
        if (first.contractEndDate) {
          old.contractEndDate = addMonths(TODAY, 3);
          this.extension(old, first.contractEndDate, 'VALIDEE');
        }
        this.mer(structureId, conseiller, 'RENOUVELLEMENT_INITIEE', addMonths(TODAY, -1), {
          ...renewal,
          contractStartDate: addMonths(TODAY, 3),
          contractEndDate: renewal.contractType === 'CDI' ? null : addMonths(TODAY, 39),
          phase: 'PHASE_2',
          renewalOf: old,
          isCoordinatorContract: coordinator,
          renewalRequestedBy: stamps.recruitmentRequestedBy,
          renewalRequestedAt: at(addMonths(TODAY, -1)),
        });
      } else {
        const current = this.mer(structureId, conseiller, 'RENEWED', addMonths(renewalStart, -2), {
          ...renewal,
          contractEndDate: renewal.contractType === 'CDI' ? null : addMonths(renewalStart, 36),
          phase: 'PHASE_2',
          renewalOf: old,
          isCoordinatorContract: coordinator,
          renewalRequestedBy: stamps.recruitmentRequestedBy,
          renewalRequestedAt: at(addMonths(renewalStart, -2)),
          recruitmentValidatedBy: 'admin@anct.gouv.fr',
          recruitmentValidatedAt: at(addMonths(renewalStart, -1)),
        });
        this.pendingChanges(person, current, random);
      }
    } else {
      const contract = this.contract(random, start, firstType);
      const current = this.mer(structureId, conseiller, 'FINALISEE', applied, {
        ...contract,
        ...stamps,
        phase: start >= '2024-01-01' ? 'PHASE_2' : 'PHASE_1',
        isCoordinatorContract: coordinator,
      });
      // A fixed-term contract already over was extended (validated) to keep the advisor in post.
      if (current.contractEndDate && current.contractEndDate < TODAY) {
        const end = current.contractEndDate;
        current.contractEndDate = addMonths(TODAY, 12);
        this.extension(current, end, 'VALIDEE');
      }
      this.pendingChanges(person, current, random);
    }
    if (coordinator) {
      conseiller.isCoordinator = true;
      conseiller.coordinationScope = 'DEPARTEMENTS';
      conseiller.coordinatedItems = [this.entities.get(structureId)!.departementCode];
    }
  }

  /** The first advisor of a structure holding a coordinator post is its coordinator. */
  private isCoordinator(structureId: number): boolean {
    const demo = this.validated.find((s) => s.id === structureId);
    if (!demo?.hasCoordinatorPost || this.coordinatorPlaced.has(structureId)) return false;
    this.coordinatorPlaced.add(structureId);
    return true;
  }

  /** Pending requests on a contract in progress: a rupture being declared, or an extension asked for. */
  private pendingChanges(person: DemoPerson, mer: MiseEnRelation, random: Random): void {
    if (person.id % 11 === 0) {
      const date = mer.contractEndDate && mer.contractEndDate < addMonths(TODAY, 1) ? mer.contractEndDate : addMonths(TODAY, 1);
      mer.status = 'NOUVELLE_RUPTURE';
      mer.ruptureDate = date;
      mer.ruptureReason = random.pick(RUPTURE_REASONS);
      mer.ruptureMissingDocuments = person.id % 2 === 0;
      mer.ruptureDeclaredBy = this.entities.get(mer.structure.id)!.contactEmail;
      mer.ruptureDeclaredAt = at(addMonths(TODAY, -1));
      this.tx.create(MiseEnRelationEvent, {
        miseEnRelation: mer,
        fromStatus: 'FINALISEE',
        toStatus: 'NOUVELLE_RUPTURE',
        actor: mer.ruptureDeclaredBy,
        at: mer.ruptureDeclaredAt,
      });
    } else if (mer.contractEndDate && person.id % 5 === 0) {
      const end = mer.contractEndDate;
      this.tx.create(ContractExtension, {
        miseEnRelation: mer,
        status: 'INITIEE',
        currentEndDate: end,
        requestedEndDate: addMonths(end, 12),
        currentSalaryCents: mer.grossMonthlySalaryCents!,
        requestedSalaryCents: mer.grossMonthlySalaryCents! + 5_000,
        requestedBy: this.entities.get(mer.structure.id)!.contactEmail,
        requestedAt: at(addMonths(TODAY, -1)),
      });
    }
  }

  private extension(mer: MiseEnRelation, previousEnd: string, status: 'INITIEE' | 'VALIDEE'): void {
    this.tx.create(ContractExtension, {
      miseEnRelation: mer,
      status,
      currentEndDate: previousEnd,
      requestedEndDate: mer.contractEndDate!,
      currentSalaryCents: mer.grossMonthlySalaryCents!,
      requestedSalaryCents: mer.grossMonthlySalaryCents!,
      requestedBy: this.entities.get(mer.structure.id)!.contactEmail,
      requestedAt: at(addMonths(previousEnd, -2)),
      validatedBy: status === 'VALIDEE' ? 'admin@anct.gouv.fr' : null,
      validatedAt: status === 'VALIDEE' ? at(addMonths(previousEnd, -1)) : null,
    });
  }

  /** Candidates never hired: matches with validated structures of their département, at every stage. */
  private seedMatches(person: DemoPerson, conseiller: Conseiller, random: Random): void {
    const withdrawn = !conseiller.isAvailable;
    const created = person.appliedOn > addMonths(TODAY, -2) ? person.appliedOn : addMonths(TODAY, -random.int(1, 8));
    for (const [i, structure] of this.nearby(person, random, 3).entries()) {
      if (withdrawn) {
        this.mer(structure.id, conseiller, 'NON_DISPONIBLE', created);
        continue;
      }
      const stage = (person.id + i) % 6;
      const quota = this.entities.get(structure.id)!.postQuota;
      if (stage === 5 && (this.held.get(structure.id) ?? 0) < quota) {
        const contract = this.contract(random, addMonths(TODAY, 1));
        this.mer(structure.id, conseiller, 'RECRUTEE', created, {
          ...contract,
          recruitmentRequestedBy: this.entities.get(structure.id)!.contactEmail,
          recruitmentRequestedAt: at(addMonths(TODAY, -1)),
        });
      } else {
        this.mer(structure.id, conseiller, stage <= 2 ? 'NOUVELLE' : stage === 3 ? 'INTERESSEE' : 'NON_INTERESSEE', created);
      }
    }
  }

  /** Up to `count` validated structures of the person's département (the matching's neighbourhood). */
  private nearby(person: DemoPerson, random: Random, count: number): DemoStructure[] {
    const local = this.validated.filter((s) => s.commune.departement === person.commune.departement);
    const picked = new Set<DemoStructure>();
    for (let i = 0; i < Math.min(count, local.length); i++) picked.add(random.pick(local));
    return [...picked];
  }
}
