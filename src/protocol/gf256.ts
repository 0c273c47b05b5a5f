// GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B), the field of
// the identity shares (PROTOCOL.md §6, §6.2). Multiplication is the carry-less
// shift-and-add with masks instead of branches and has no table, so neither its timing
// nor its memory accesses depend on the bytes of a share (log/exp tables, as
// shamir-secret-sharing uses, index memory by secret bytes).

/** a · b in GF(2^8): eight rounds, each adding `a` under a mask made from one bit of `b`. */
export function gfMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    product ^= -(b & 1) & a;
    const carry = -((a >> 7) & 1);
    a = ((a << 1) ^ (carry & 0x1b)) & 0xff;
    b >>= 1;
  }
  return product & 0xff;
}

/** a^254 = a^-1 for a ≠ 0 (and 0 for 0), by a fixed chain of squarings and products. */
export function gfInv(a: number): number {
  let result = 1;
  let power = a;
  // 254 = 0b11111110: square seven times, multiplying in after each of the last seven.
  for (let i = 0; i < 7; i++) {
    power = gfMul(power, power);
    result = gfMul(result, power);
  }
  return result;
}

/**
 * The Lagrange coefficients at 0 for distinct non-zero x: λ_i = Π_{k≠i} x_k / (x_k + x_i)
 * (addition is XOR). Σ λ_i · f(x_i) = f(0) for every polynomial f of degree < len(xs).
 * The x coordinates are public; only what they multiply is secret.
 */
export function lagrangeAtZero(xs: readonly number[]): number[] {
  return xs.map((xi, i) => {
    let numerator = 1;
    let denominator = 1;
    xs.forEach((xk, k) => {
      if (k === i) return;
      numerator = gfMul(numerator, xk);
      denominator = gfMul(denominator, xk ^ xi);
    });
    return gfMul(numerator, gfInv(denominator));
  });
}

/** c_0 + c_1·x + … by Horner's rule; `coefficients[0]` is the constant term. */
export function gfEval(coefficients: Uint8Array, x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = gfMul(value, x) ^ coefficients[i]!;
  return value;
}
