import t from 'tap';
t.test('typescript runs under tap', async (t) => { const x: number = 1 + 1; t.equal(x, 2); });
