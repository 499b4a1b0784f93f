import dev.rlhf.proto.client.InferenceClient;
import java.util.*;
/** Scores one random sequence of length args[0] with the served "ref" model over KServe v2 gRPC, 6 times; prints latencies. */
public class ScoreOverGrpc {
  public static void main(String[] a) throws Exception {
    InferenceClient c = new InferenceClient("127.0.0.1:8765");
    int T = Integer.parseInt(a[0]); Random r = new Random(1);
    long[][] ids = new long[1][T]; long[][] mask = new long[1][T];
    for (int i = 0; i < T; i++) { ids[0][i] = r.nextInt(150000); mask[0][i] = 1; }
    Map<String,long[][]> in = new LinkedHashMap<>(); in.put("input_ids", ids); in.put("attention_mask", mask);
    double[] ms = new double[6];
    for (int k = 0; k < ms.length; k++) {
      long t0 = System.nanoTime();
      float[][] lp = c.inferInt64("ref", in, "logprobs");
      ms[k] = (System.nanoTime() - t0) / 1e6;
      if (k == 0) System.out.println("logprobs row length " + lp[0].length + ", first " + lp[0][0]);
    }
    System.out.println("latency ms (first is warm-up): " + Arrays.toString(ms));
    System.exit(0);
  }
}
