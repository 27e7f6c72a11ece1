/**
 * The admin screen's traffic chart, as numbers: counts per bucket become per-second rates, a scale
 * with a round top, and the points of an SVG polyline. No DOM here, so node's test runner checks it.
 */

/** Counts per bucket (`bucketSeconds` long each) as rates per second. */
export function ratesOf(counts, bucketSeconds) {
  return counts.map(count => count / bucketSeconds);
}

/** The smallest "nice" number (1, 2 or 5 times a power of ten) at or above `value`; 1 for nothing. */
export function niceCeiling(value) {
  if (!(value > 0)) {
    return 1;
  }

  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power + Number.EPSILON * power) {
      return step * power;
    }
  }

  return 10 * power;
}

/**
 * The polyline points (`"x,y x,y …"`) of `values` in a `width` × `height` box: the first value at the
 * left edge, the last at the right, 0 at the bottom and `top` at the top (values above it are clipped).
 */
export function polylinePoints(values, width, height, top) {
  if (values.length === 0) {
    return '';
  }

  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((value, i) => {
      const y = height - (Math.min(Math.max(value, 0), top) / top) * height;
      return `${round(i * step)},${round(y)}`;
    })
    .join(' ');
}

/** A rate for people: "0", "0.03" (a few messages a minute still show), "2.5", "12", "1.2k". */
export function formatRate(perSecond) {
  if (perSecond >= 1000) {
    return `${round(perSecond / 1000, 1)}k`;
  }

  if (perSecond >= 10 || perSecond === 0) {
    return String(Math.round(perSecond));
  }

  return String(round(perSecond, perSecond < 1 ? 2 : 1));
}

/** Seconds as "45 s", "12 min", "3 h 5 min". */
export function formatDuration(seconds) {
  if (seconds < 60) {
    return `${Math.max(0, Math.floor(seconds))} s`;
  }

  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }

  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function round(value, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
