package dev.rlhf.core.data;

/**
 * A part of a dataset given as a fraction of its rows or as a number of rows: how many training examples to draw each
 * epoch, or how many to hold out for evaluation. In a config, {@code split: 0.05} is a fraction and {@code split: 200}
 * a size.
 */
public sealed interface Portion {
    /** How many of {@code rows} this portion takes. */
    int count(int rows);

    /** A fraction in [0, 1]; the count is rounded to the nearest row. */
    record Fraction(double value) implements Portion {
        public Fraction {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("a fraction must be in [0, 1], got " + value);
            }
        }

        @Override
        public int count(int rows) {
            return (int) Math.round(value * rows);
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /** A number of rows, at least 0; may exceed the rows there are (they are then repeated). */
    record Size(int value) implements Portion {
        public Size {
            if (value < 0) {
                throw new IllegalArgumentException("a size must be >= 0, got " + value);
            }
        }

        @Override
        public int count(int rows) {
            return value;
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    /** All rows. */
    static Portion all() {
        return new Fraction(1.0);
    }

    /** Reads {@code 0.05} (a fraction: has a point or an exponent) or {@code 200} (a size). */
    static Portion parse(String text) {
        String s = text.strip();
        try {
            if (s.matches("[+]?[0-9_]+")) {
                return new Size(Integer.parseInt(s.replace("_", "").replace("+", "")));
            }
            return new Fraction(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expected a fraction such as 0.05 or a number of rows such as 200, got \"" + text + "\"");
        }
    }
}
