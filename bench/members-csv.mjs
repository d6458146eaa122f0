// members-csv.mjs: writes N valid member rows (real check digits) as the import CSV, for make bench
const n = Number(process.argv[2] || 10000);
const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const lines = ['姓名,性别,手机号,身份证号,工作单位,职务,入党日期,特长,党员户挂牌'];
for (let i = 0; i < n; i++) {
  const birth = new Date(Date.UTC(1960, 0, 1) + (i % 15000) * 86400000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `440111${birth}${String(Math.floor(i / 15000) * 2 + 1).padStart(3, '0')}`;
  const id = body + '10X98765432'[[...body].reduce((s, c, k) => s + Number(c) * w[k], 0) % 11];
  lines.push(`党员${i},男,139${String(10000000 + i)},${id},白云区教育局,科员,2010-07-01,医疗、法律,否`);
}
process.stdout.write(lines.join('\r\n') + '\r\n');
