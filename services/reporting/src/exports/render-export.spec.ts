import { csvCell } from './render-export';

describe('CSV cells', () => {
  it('keeps text a spreadsheet would run as a formula as text, and numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('商场 A, 二楼')).toBe('"商场 A, 二楼"');
    expect(csvCell(null)).toBe('');
  });
});
