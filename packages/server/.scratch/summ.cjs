const fs=require('fs'); const dir=process.argv[2]; const f=fs.readdirSync(dir).filter(x=>x.endsWith('.cpuprofile'));
for (const file of f) { const p=JSON.parse(fs.readFileSync(dir+'/'+file)); const byId=new Map(p.nodes.map(n=>[n.id,n]));
const dt=p.timeDeltas; const counts=new Map(); p.samples.forEach((s,i)=>counts.set(s,(counts.get(s)||0)+(dt[i]||0)));
const self=new Map();
for (const [id,t] of counts) { const n=byId.get(id); const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-1)[0]+':'+n.callFrame.lineNumber; self.set(k,(self.get(k)||0)+t); }
const tot=[...self.values()].reduce((a,b)=>a+b,0); console.log(file, (tot/1e6).toFixed(2)+'s');
[...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,25).forEach(([k,t])=>console.log((t/tot*100).toFixed(1)+'%', k)); }
