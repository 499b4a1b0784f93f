package dev.rlhf.core.eval;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), which unlike the normal approximation stays inside
 * [0, 1] and is sensible at 0 or n successes and for small n:
 *
 * <pre>
 *   p = k / n,   c = (p + z²/2n) / (1 + z²/n),   h = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²),   [c - h, c + h]
 * </pre>
 *
 * with z = 1.959964 for 95%.
 *
 * @param low lower bound; @param high upper bound (both NaN when n is 0)
 */
public record WilsonInterval(double low, double high) {

    /** The two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval of {@code successes} out of {@code trials}. */
    public static WilsonInterval of95(long successes, long trials) {
        return of(successes, trials, Z95);
    }

    public static WilsonInterval of(long successes, long trials, double z) {
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException("successes must be in [0, " + trials + "], got " + successes);
        }
        if (trials == 0) {
            return new WilsonInterval(Double.NaN, Double.NaN);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
