import { Entity, PrimaryColumn } from 'typeorm';

/** Which regions an organisation serves. */
@Entity('organisation_region')
export class OrganisationRegion {
  @PrimaryColumn('text', { name: 'organisation_id' })
  organisationId: string;

  @PrimaryColumn('text', { name: 'region_id' })
  regionId: string;
}
