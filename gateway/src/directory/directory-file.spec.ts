import { v1 } from '@complaints/contracts';
import { readDirectoryFile, writeDirectoryFile } from './directory-file';

const directory = v1.ListDirectoryResponse.fromPartial({
  regions: [{ id: 'east', name: '=HYPERLINK("http://evil.example","华东")' }],
  staff: [
    {
      id: 's-1',
      name: '王磊',
      roleLevel: 'frontline',
      propertyIds: ['sh-mall', 'sh-tower'],
      onDuty: true,
      inactive: true,
      deactivatedAt: '2026-12-01T00:00:00.000Z',
      trades: ['plumbing', 'hvac'],
    },
  ],
});

describe('the directory as a file', () => {
  it.each(['csv', 'xlsx'] as const)(
    'reads back what it wrote (%s), a formula-looking name as plain text',
    async (format) => {
      const content = await writeDirectoryFile(directory, format);
      if (format === 'csv') expect(content.toString('utf8')).toContain(`"'=HYPERLINK(`);
      const rows = await readDirectoryFile(content, format);
      expect(rows).toEqual([
        { row: 2, type: 'region', fields: { id: 'east', name: '=HYPERLINK("http://evil.example","华东")' } },
        {
          row: 3,
          type: 'staff',
          fields: {
            id: 's-1',
            name: '王磊',
            roleLevel: 'frontline',
            propertyIds: ['sh-mall', 'sh-tower'],
            onDuty: true,
            inactive: true,
            trades: ['plumbing', 'hvac'],
          },
        },
      ]);
    },
  );
});
