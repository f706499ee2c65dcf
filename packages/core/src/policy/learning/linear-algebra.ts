/**
 * Small dense linear algebra on row-major `Float64Array` matrices, for the learning policy's ridge
 * model. Sparse vectors are `(indices, values, length)` triples; an index may repeat (two hashed
 * features landing in one bucket), which every routine here handles because it is bilinear.
 */

/** Inverse of the symmetric positive-definite `matrix` (d x d) via Cholesky, written into `out`. */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, dimension: number, out: Float64Array): void {
  const lower = new Float64Array(dimension * dimension);
  for (let row = 0; row < dimension; row++) {
    for (let column = 0; column <= row; column++) {
      let sum = matrix[row * dimension + column]!;
      for (let k = 0; k < column; k++) sum -= lower[row * dimension + k]! * lower[column * dimension + k]!;
      if (row === column) {
        // A tiny floor keeps a numerically semi-definite matrix invertible instead of producing NaN.
        lower[row * dimension + row] = Math.sqrt(Math.max(sum, 1e-12));
      } else {
        lower[row * dimension + column] = sum / lower[column * dimension + column]!;
      }
    }
  }
  // inverse(L), lower triangular, column by column.
  const lowerInverse = new Float64Array(dimension * dimension);
  for (let column = 0; column < dimension; column++) {
    lowerInverse[column * dimension + column] = 1 / lower[column * dimension + column]!;
    for (let row = column + 1; row < dimension; row++) {
      let sum = 0;
      for (let k = column; k < row; k++) sum -= lower[row * dimension + k]! * lowerInverse[k * dimension + column]!;
      lowerInverse[row * dimension + column] = sum / lower[row * dimension + row]!;
    }
  }
  // inverse(A) = inverse(L)^T inverse(L).
  for (let row = 0; row < dimension; row++) {
    for (let column = 0; column <= row; column++) {
      let sum = 0;
      for (let k = row; k < dimension; k++) sum += lowerInverse[k * dimension + row]! * lowerInverse[k * dimension + column]!;
      out[row * dimension + column] = sum;
      out[column * dimension + row] = sum;
    }
  }
}

/**
 * Sherman-Morrison: replaces `inverse` = M^-1 by (M + weight * x x^T)^-1 in O(d^2), using `scratch`
 * (length d) for M^-1 x. Returns x^T M^-1 x.
 */
export function shermanMorrisonUpdate(
  inverse: Float64Array,
  dimension: number,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  length: number,
  weight: number,
  scratch: Float64Array,
): number {
  scratch.fill(0);
  for (let k = 0; k < length; k++) {
    const column = indices[k]!;
    const value = values[k]!;
    if (value === 0) continue;
    for (let row = 0; row < dimension; row++) scratch[row]! += inverse[row * dimension + column]! * value;
  }
  let quadratic = 0;
  for (let k = 0; k < length; k++) quadratic += values[k]! * scratch[indices[k]!]!;
  const factor = weight / (1 + weight * quadratic);
  for (let row = 0; row < dimension; row++) {
    const scaled = factor * scratch[row]!;
    if (scaled === 0) continue;
    const offset = row * dimension;
    for (let column = 0; column < dimension; column++) inverse[offset + column]! -= scaled * scratch[column]!;
  }
  return quadratic;
}

/** x^T M x for a sparse x, O(length^2). */
export function sparseQuadraticForm(
  matrix: Float64Array,
  dimension: number,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  length: number,
): number {
  let sum = 0;
  for (let k = 0; k < length; k++) {
    const value = values[k]!;
    if (value === 0) continue;
    const offset = indices[k]! * dimension;
    let inner = 0;
    for (let l = 0; l < length; l++) inner += matrix[offset + indices[l]!]! * values[l]!;
    sum += value * inner;
  }
  return sum;
}

/** out = M v for a dense v. */
export function multiplyMatrixVector(matrix: Float64Array, dimension: number, vector: Float64Array, out: Float64Array): void {
  for (let row = 0; row < dimension; row++) {
    let sum = 0;
    const offset = row * dimension;
    for (let column = 0; column < dimension; column++) sum += matrix[offset + column]! * vector[column]!;
    out[row] = sum;
  }
}

/** The upper triangle (row by row, diagonal included) of a symmetric matrix, as a plain array. */
export function packUpperTriangle(matrix: Float64Array, dimension: number): number[] {
  const packed: number[] = [];
  for (let row = 0; row < dimension; row++) for (let column = row; column < dimension; column++) packed.push(matrix[row * dimension + column]!);
  return packed;
}

/** The symmetric matrix whose upper triangle is `packed` (see `packUpperTriangle`). */
export function unpackUpperTriangle(packed: readonly number[], dimension: number): Float64Array {
  const matrix = new Float64Array(dimension * dimension);
  let next = 0;
  for (let row = 0; row < dimension; row++) {
    for (let column = row; column < dimension; column++) {
      const value = packed[next++]!;
      matrix[row * dimension + column] = value;
      matrix[column * dimension + row] = value;
    }
  }
  return matrix;
}

export const upperTriangleLength = (dimension: number): number => (dimension * (dimension + 1)) / 2;
