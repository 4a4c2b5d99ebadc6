import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { DepartmentEntry, PropertyEntry, RegionEntry, StaffEntry } from './directory.entries';
import { Department, Property, Region, StaffMember } from './directory.schema';

const key = (groupId: string, id: string) => `${groupId}:${id}`;
const withoutInternals = <T extends { _id: string }>({ _id, ...rest }: T & { __v?: number }) => {
  delete rest.__v;
  return rest;
};

@Injectable()
export class DirectoryRepository {
  constructor(
    @InjectModel(Region.name) private readonly regions: Model<Region>,
    @InjectModel(Property.name) private readonly properties: Model<Property>,
    @InjectModel(Department.name) private readonly departments: Model<Department>,
    @InjectModel(StaffMember.name) private readonly staff: Model<StaffMember>,
  ) {}

  async upsertRegion(entry: RegionEntry): Promise<void> {
    await this.regions.replaceOne({ _id: key(entry.groupId, entry.id) }, entry, { upsert: true });
  }
  async upsertProperty(entry: PropertyEntry): Promise<void> {
    await this.properties.replaceOne({ _id: key(entry.groupId, entry.id) }, entry, { upsert: true });
  }
  async upsertDepartment(entry: DepartmentEntry): Promise<void> {
    await this.departments.replaceOne({ _id: key(entry.groupId, entry.id) }, entry, { upsert: true });
  }
  async upsertStaff(entry: StaffEntry): Promise<void> {
    await this.staff.replaceOne({ _id: key(entry.groupId, entry.id) }, entry, { upsert: true });
  }

  // By `_id` alone (FerretDB scans for any other filter); the key names the group, checked again in code.
  async findRegion(groupId: string, id: string): Promise<RegionEntry | null> {
    const found = await this.regions.findById(key(groupId, id)).lean<Region>();
    return found?.groupId === groupId ? withoutInternals(found) : null;
  }
  async findProperty(groupId: string, id: string): Promise<PropertyEntry | null> {
    const found = await this.properties.findById(key(groupId, id)).lean<Property>();
    return found?.groupId === groupId ? withoutInternals(found) : null;
  }
  async findDepartment(groupId: string, id: string): Promise<DepartmentEntry | null> {
    const found = await this.departments.findById(key(groupId, id)).lean<Department>();
    return found?.groupId === groupId ? withoutInternals(found) : null;
  }
  async findStaff(groupId: string, id: string): Promise<StaffEntry | null> {
    const found = await this.staff.findById(key(groupId, id)).lean<StaffMember>();
    return found?.groupId === groupId ? withoutInternals(found) : null;
  }
  async staffExists(groupId: string, id: string): Promise<boolean> {
    const found = await this.staff.findById(key(groupId, id), { groupId: 1 }).lean<Pick<StaffMember, 'groupId'>>();
    return found?.groupId === groupId;
  }
  /** Another property of the group already using this code, if any (codes number complaints). */
  async findPropertyByCode(groupId: string, code: string): Promise<PropertyEntry | null> {
    const found = await this.properties.findOne({ groupId, code }).lean<Property>();
    return found && withoutInternals(found);
  }

  async list(groupId: string) {
    const [regions, properties, departments, staff] = await Promise.all([
      this.regions.find({ groupId }).sort({ id: 1 }).lean<Region[]>(),
      this.properties.find({ groupId }).sort({ id: 1 }).lean<Property[]>(),
      this.departments.find({ groupId }).sort({ id: 1 }).lean<Department[]>(),
      this.staff.find({ groupId }).sort({ id: 1 }).lean<StaffMember[]>(),
    ]);
    return {
      regions: regions.map(withoutInternals),
      properties: properties.map(withoutInternals),
      departments: departments.map(withoutInternals),
      staff: staff.map(withoutInternals),
    };
  }
}
