// The worker's side of one policy sync, on the versions a bench/ppo/lora_memory.sh run left: a whole checkpoint
// loaded fresh (FullPolicy) vs an adapter copied into the adapters already on the base (AdapterPolicy). Median of 5.
//   jshell --class-path "$(ls cli/target/rlhf-cli-*.jar | head -1):$(cat cli/target/classpath.txt)" \
//     -R-Dpolicy=DIR -R-Dfull=FULL_RUN/policies/v3 -R-Dadapter=LORA_RUN/policies/v3 bench/ppo/sync.jsh
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.*;
import dev.rlhf.core.model.LanguageModel;
import java.nio.file.Path;

double median(double[] xs) { double[] s = xs.clone(); java.util.Arrays.sort(s); return s[s.length / 2]; }
double[] full = new double[5];
for (int i = 0; i < 5; i++) {
    long t = System.nanoTime();
    try (LanguageModel lm = HfCheckpoint.load(Path.of(System.getProperty("full")))) {
        full[i] = (System.nanoTime() - t) / 1e9;
    }
}
double[] adapter = new double[5];
try (LanguageModel base = HfCheckpoint.load(Path.of(System.getProperty("policy")))) {
    LoraModel lora = LoraModel.attach(base, PeftAdapter.readConfig(Path.of(System.getProperty("adapter"))).settings(), 0);
    for (int i = 0; i < 5; i++) {
        long t = System.nanoTime();
        PeftAdapter.update(lora, Path.of(System.getProperty("adapter")));
        adapter[i] = (System.nanoTime() - t) / 1e9;
    }
}
System.out.printf("worker apply: full checkpoint %.3f s, adapter %.3f s (medians of 5)%n", median(full), median(adapter));
/exit
