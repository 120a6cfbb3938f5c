// time-to-botec in Squiggle, for bench/time_to_botec.py:
//   node bench/time_to_botec.mjs SAMPLES NODE_PREFIX
// NODE_PREFIX is the folder where `npm install @quri/squiggle-lang` was run. The lognormals
// are drawn as sample sets, so the mixture is sampled (SAMPLES draws), as in the other tools,
// and not combined as point sets. Prints the mean of the mixture.
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [samples, prefix] = process.argv.slice(2);
const entry = createRequire(join(resolve(prefix), "package.json")).resolve("@quri/squiggle-lang");
const { run } = await import(pathToFileURL(entry).href);

const code = `
p_a = 0.8
p_b = 0.5
p_c = p_a * p_b
dists = [0, 1, SampleSet.fromDist(1 to 3), SampleSet.fromDist(2 to 10)]
weights = [1 - p_c, p_c / 2, p_c / 4, p_c / 4]
result = mx(dists, weights)
mean(result)
`;
const output = await run(code, {
  environment: { sampleCount: Number(samples), xyPointLength: 1000, seed: "time-to-botec" },
});
const end = output.getEndResult();
if (!end.ok) {
  console.error(end.value.toString());
  process.exit(1);
}
console.log(end.value.value);
