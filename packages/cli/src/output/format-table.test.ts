import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table';

describe('formatTable', () => {
  it('aligns columns, right-aligns numbers when asked, and shows missing values as -', () => {
    const text = formatTable(
      [{ name: 'akash', price: 1.5, note: null }, { name: 'ionet', price: 12.25, note: 'x' }],
      [
        { header: 'NAME', value: (row) => row.name },
        { header: 'PRICE', value: (row) => row.price, align: 'right' },
        { header: 'NOTE', value: (row) => row.note },
      ],
    );
    expect(text).toBe('NAME   PRICE  NOTE\nakash  1.500  -\nionet  12.25  x\n');
  });
});
