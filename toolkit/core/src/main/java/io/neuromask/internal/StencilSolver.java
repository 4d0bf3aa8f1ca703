package io.neuromask.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Solves a symmetric positive definite linear system whose unknowns are some pixels of an H×W grid and whose matrix
 * couples each unknown with its 8 neighbours (a 9-point stencil), for several right-hand sides at once: conjugate
 * gradients preconditioned by one multigrid V-cycle.
 *
 * <p>The hierarchy is geometric with Galerkin coarse operators: a level's grid is coarsened by 2 in each dimension
 * longer than 3 (coarse node (Y, X) sits on fine pixel (2Y, 2X)), the prolongation P interpolates bilinearly and is
 * restricted to the unknowns, and the coarse matrix is PᵀAP, again a 9-point stencil, on the coarse nodes that some
 * fine unknown interpolates from. So the unknowns may be any set of pixels (e.g. the removed pixels of an image, with
 * the kept ones as fixed boundary values in the right-hand side). The V-cycle smooths with one forward Gauss-Seidel
 * sweep before and one backward sweep after the coarse correction, and solves the coarsest level (at most 3×3)
 * exactly, so the preconditioner is symmetric positive definite and CG converges in a number of iterations that
 * hardly grows with the grid.
 *
 * <p>Neighbour {@code k} of pixel (y, x), for {@code k} = 0…7, is (y + {@link #dy}(k), x + {@link #dx}(k)): the row
 * above left to right, left, right, the row below left to right. A stencil holds 9 coefficients per pixel: those 8
 * and then the pixel's own (the diagonal, {@link #CENTRE}).
 */
public final class StencilSolver {

    /** Row offsets of the 8 neighbours. */
    private static final int[] DY = {-1, -1, -1, 0, 0, 1, 1, 1};

    /** Column offsets of the 8 neighbours. */
    private static final int[] DX = {-1, 0, 1, -1, 1, -1, 0, 1};

    /** Index of the diagonal in a pixel's 9 coefficients. */
    public static final int CENTRE = 8;

    /** The row offset of neighbour {@code k} (0…7). */
    public static int dy(int k) {
        return DY[k];
    }

    /** The column offset of neighbour {@code k} (0…7). */
    public static int dx(int k) {
        return DX[k];
    }

    /** The coefficient slot of the neighbour at (dy, dx), at {@code 3 (dy + 1) + dx + 1}; the centre's for (0, 0). */
    private static final int[] SLOT = new int[9];

    static {
        SLOT[4] = CENTRE;
        for (int k = 0; k < 8; k++) {
            SLOT[3 * (DY[k] + 1) + DX[k] + 1] = k;
        }
    }

    private StencilSolver() {}

    /** One level: its grid, its unknowns and its stencil. */
    private static final class Level {
        final int h;
        final int w;
        final boolean[] unknown;
        final double[] coef;
        /** The unknowns in row-major order, for the sweeps. */
        final int[] order;
        /** The index offset of each of the 8 neighbours. */
        final int[] offset = new int[8];
        /** Per unknown (in {@link #order}'s order), up to 4 coarse parents (-1: none) and their weights. */
        int[] parent;
        double[] parentWeight;
        /** Work vectors, 3 per pixel: a product, and (on coarse levels) the right-hand side and solution. */
        double[] work;
        double[] rhs;
        double[] solution;

        Level(int h, int w, boolean[] unknown, double[] coef) {
            this.h = h;
            this.w = w;
            this.unknown = unknown;
            this.coef = coef;
            int n = 0;
            for (boolean u : unknown) {
                n += u ? 1 : 0;
            }
            order = new int[n];
            for (int p = 0, i = 0; p < unknown.length; p++) {
                if (unknown[p]) {
                    order[i++] = p;
                }
            }
            for (int k = 0; k < 8; k++) {
                offset[k] = DY[k] * w + DX[k];
            }
        }
    }

    /**
     * Solves {@code A x = b} on the unknown pixels for three right-hand sides (an image's channels) independently.
     *
     * @param unknown H·W flags, row-major
     * @param coef 9·H·W coefficients: for each pixel its 8 neighbours' and then its own; read at the unknowns only,
     *     and a neighbour's coefficient must be 0 unless that neighbour is an unknown inside the grid
     * @param b 3·H·W values, interleaved by pixel ({@code b[3p + c]}); read at the unknowns
     * @param x 3·H·W values, interleaved as {@code b}: the starting guess at the unknowns, overwritten with the
     *     solution (other pixels are left as they are)
     * @param tolerance stop when every unknown's residual divided by its diagonal is at most this, in every channel
     * @return the number of CG iterations
     * @throws IllegalArgumentException when the arrays do not fit the grid, a diagonal is not positive or a
     *     coefficient couples to a pixel that is not an unknown
     * @throws IllegalStateException when it does not converge (the matrix is not positive definite)
     */
    public static int solve(int h, int w, boolean[] unknown, double[] coef, double[] b, double[] x,
            double tolerance) {
        int plane = h * w;
        if (unknown.length != plane || coef.length != 9 * plane || b.length != 3 * plane || x.length != 3 * plane) {
            throw new IllegalArgumentException("a " + w + "x" + h + " grid needs " + plane + " flags, " + 9 * plane
                    + " coefficients and " + 3 * plane + " values per vector");
        }
        for (int px = 0; px < plane; px++) {
            if (!unknown[px]) {
                continue;
            }
            if (!(coef[9 * px + CENTRE] > 0)) {
                throw new IllegalArgumentException("the diagonal at pixel " + px + " is " + coef[9 * px + CENTRE]
                        + "; a positive definite stencil has a positive diagonal");
            }
            for (int k = 0; k < 8; k++) {
                int ny = px / w + DY[k];
                int nx = px % w + DX[k];
                if (coef[9 * px + k] != 0 && (ny < 0 || ny >= h || nx < 0 || nx >= w || !unknown[ny * w + nx])) {
                    throw new IllegalArgumentException("pixel " + px + " couples to neighbour " + k + ", which is "
                            + "not an unknown inside the grid; move known values to the right-hand side");
                }
            }
        }
        Level[] levels = hierarchy(new Level(h, w, unknown.clone(), coef));
        Level fine = levels[0];
        int[] order = fine.order;
        double[] r = new double[3 * plane];
        double[] z = new double[3 * plane];
        double[] p = new double[3 * plane];
        double[] q = new double[3 * plane];
        multiply(fine, x, q);
        for (int px : order) {
            for (int i = 3 * px; i < 3 * px + 3; i++) {
                r[i] = b[i] - q[i];
            }
        }
        double[] err = new double[3];
        double[] rz = new double[3];
        double[] next = new double[3];
        double[] pq = new double[3];
        double[] alpha = new double[3];
        double[] beta = new double[3];
        if (converged(fine, r, tolerance, err)) {
            return 0;
        }
        vCycle(levels, 0, r, z);
        for (int px : order) {
            for (int i = 3 * px; i < 3 * px + 3; i++) {
                p[i] = z[i];
            }
        }
        dot(fine, r, z, rz);
        int cap = 200 + order.length;
        for (int it = 1; it <= cap; it++) {
            multiply(fine, p, q);
            dot(fine, p, q, pq);
            for (int c = 0; c < 3; c++) {
                if (err[c] > tolerance && !(pq[c] > 0)) {
                    throw new IllegalStateException("the stencil system is not positive definite (pᵀAp = " + pq[c]
                            + " in channel " + c + ")");
                }
                alpha[c] = err[c] <= tolerance ? 0 : rz[c] / pq[c]; // a converged channel stops moving
            }
            double a0 = alpha[0];
            double a1 = alpha[1];
            double a2 = alpha[2];
            for (int px : order) {
                int i = 3 * px;
                x[i] += a0 * p[i];
                x[i + 1] += a1 * p[i + 1];
                x[i + 2] += a2 * p[i + 2];
                r[i] -= a0 * q[i];
                r[i + 1] -= a1 * q[i + 1];
                r[i + 2] -= a2 * q[i + 2];
            }
            if (converged(fine, r, tolerance, err)) {
                return it;
            }
            vCycle(levels, 0, r, z);
            dot(fine, r, z, next);
            for (int c = 0; c < 3; c++) {
                beta[c] = rz[c] == 0 ? 0 : next[c] / rz[c];
                rz[c] = next[c];
            }
            double b0 = beta[0];
            double b1 = beta[1];
            double b2 = beta[2];
            for (int px : order) {
                int i = 3 * px;
                p[i] = z[i] + b0 * p[i];
                p[i + 1] = z[i + 1] + b1 * p[i + 1];
                p[i + 2] = z[i + 2] + b2 * p[i + 2];
            }
        }
        throw new IllegalStateException("the stencil system did not converge in " + cap + " iterations (residual "
                + Arrays.toString(err) + ")");
    }

    /** Whether every channel's largest |r|/diagonal is within the tolerance; fills {@code err} with them. */
    private static boolean converged(Level l, double[] r, double tolerance, double[] err) {
        double e0 = 0;
        double e1 = 0;
        double e2 = 0;
        for (int px : l.order) {
            double inv = 1 / l.coef[9 * px + CENTRE];
            e0 = Math.max(e0, Math.abs(r[3 * px]) * inv);
            e1 = Math.max(e1, Math.abs(r[3 * px + 1]) * inv);
            e2 = Math.max(e2, Math.abs(r[3 * px + 2]) * inv);
        }
        err[0] = e0;
        err[1] = e1;
        err[2] = e2;
        return e0 <= tolerance && e1 <= tolerance && e2 <= tolerance;
    }

    private static void dot(Level l, double[] a, double[] b, double[] out) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        for (int px : l.order) {
            int i = 3 * px;
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
    }

    /** {@code q = A v} at the unknowns (other entries of q untouched). */
    private static void multiply(Level l, double[] v, double[] q) {
        double[] coef = l.coef;
        int[] offset = l.offset;
        for (int px : l.order) {
            int base = 9 * px;
            double d = coef[base + CENTRE];
            double s0 = d * v[3 * px];
            double s1 = d * v[3 * px + 1];
            double s2 = d * v[3 * px + 2];
            for (int k = 0; k < 8; k++) {
                double a = coef[base + k];
                if (a != 0) {
                    int j = 3 * (px + offset[k]);
                    s0 += a * v[j];
                    s1 += a * v[j + 1];
                    s2 += a * v[j + 2];
                }
            }
            q[3 * px] = s0;
            q[3 * px + 1] = s1;
            q[3 * px + 2] = s2;
        }
    }

    /** One Gauss-Seidel sweep on {@code A z = r}, forward or backward through the unknowns. */
    private static void sweep(Level l, double[] r, double[] z, boolean forward) {
        double[] coef = l.coef;
        int[] offset = l.offset;
        int[] order = l.order;
        int n = order.length;
        for (int i = 0; i < n; i++) {
            int px = order[forward ? i : n - 1 - i];
            int base = 9 * px;
            double s0 = r[3 * px];
            double s1 = r[3 * px + 1];
            double s2 = r[3 * px + 2];
            for (int k = 0; k < 8; k++) {
                double a = coef[base + k];
                if (a != 0) {
                    int j = 3 * (px + offset[k]);
                    s0 -= a * z[j];
                    s1 -= a * z[j + 1];
                    s2 -= a * z[j + 2];
                }
            }
            double inv = 1 / coef[base + CENTRE];
            z[3 * px] = s0 * inv;
            z[3 * px + 1] = s1 * inv;
            z[3 * px + 2] = s2 * inv;
        }
    }

    /** {@code z ≈ A⁻¹ r} at level {@code k} (at its unknowns): one V(1,1)-cycle from z = 0. */
    private static void vCycle(Level[] levels, int k, double[] r, double[] z) {
        Level l = levels[k];
        for (int px : l.order) {
            z[3 * px] = 0;
            z[3 * px + 1] = 0;
            z[3 * px + 2] = 0;
        }
        if (k == levels.length - 1) {
            solveDense(l, r, z);
            return;
        }
        sweep(l, r, z, true);
        Level coarse = levels[k + 1];
        double[] az = l.work;
        multiply(l, z, az);
        double[] rc = coarse.rhs;
        double[] zc = coarse.solution;
        for (int px : coarse.order) {
            rc[3 * px] = 0;
            rc[3 * px + 1] = 0;
            rc[3 * px + 2] = 0;
        }
        int[] parent = l.parent;
        double[] weight = l.parentWeight;
        int[] order = l.order;
        for (int i = 0; i < order.length; i++) {
            int px = order[i];
            double res0 = r[3 * px] - az[3 * px];
            double res1 = r[3 * px + 1] - az[3 * px + 1];
            double res2 = r[3 * px + 2] - az[3 * px + 2];
            for (int j = 4 * i; j < 4 * i + 4 && parent[j] >= 0; j++) {
                int c = 3 * parent[j];
                double wj = weight[j];
                rc[c] += wj * res0;
                rc[c + 1] += wj * res1;
                rc[c + 2] += wj * res2;
            }
        }
        vCycle(levels, k + 1, rc, zc);
        for (int i = 0; i < order.length; i++) {
            int px = order[i];
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            for (int j = 4 * i; j < 4 * i + 4 && parent[j] >= 0; j++) {
                int c = 3 * parent[j];
                double wj = weight[j];
                a0 += wj * zc[c];
                a1 += wj * zc[c + 1];
                a2 += wj * zc[c + 2];
            }
            z[3 * px] += a0;
            z[3 * px + 1] += a1;
            z[3 * px + 2] += a2;
        }
        sweep(l, r, z, false);
    }

    /** The levels: the fine one, then Galerkin coarsenings down to at most 3×3. */
    private static Level[] hierarchy(Level fine) {
        List<Level> out = new ArrayList<>();
        out.add(fine);
        Level l = fine;
        while ((l.h > 3 || l.w > 3) && l.order.length > 0) {
            l.work = new double[3 * l.h * l.w];
            l = coarsen(l);
            l.rhs = new double[3 * l.h * l.w];
            l.solution = new double[3 * l.h * l.w];
            out.add(l);
        }
        return out.toArray(new Level[0]);
    }

    /** PᵀAP on the coarse nodes that some fine unknown interpolates from. */
    private static Level coarsen(Level f) {
        int hc = f.h > 3 ? f.h / 2 + 1 : f.h;
        int wc = f.w > 3 ? f.w / 2 + 1 : f.w;
        int n = f.order.length;
        boolean[] unknown = new boolean[hc * wc];
        double[] coef = new double[9 * hc * wc];
        int[] parents = new int[4];
        double[] weights = new double[4];
        f.parent = new int[4 * n];
        f.parentWeight = new double[4 * n];
        Arrays.fill(f.parent, -1);
        int[] parentY = new int[4 * n];
        int[] parentX = new int[4 * n];
        int[] index = new int[f.h * f.w];
        for (int u = 0; u < n; u++) {
            int px = f.order[u];
            index[px] = u;
            int np = parents(f, hc, wc, px / f.w, px % f.w, parents, weights);
            for (int i = 0; i < np; i++) {
                unknown[parents[i]] = true;
                f.parent[4 * u + i] = parents[i];
                f.parentWeight[4 * u + i] = weights[i];
                parentY[4 * u + i] = parents[i] / wc;
                parentX[4 * u + i] = parents[i] % wc;
            }
        }
        // A_c[I][J] += P[i][I] · A[i][j] · P[j][J] over the fine unknowns i and their stencil neighbours j
        for (int u = 0; u < n; u++) {
            int px = f.order[u];
            for (int k = 0; k <= CENTRE; k++) {
                double a = f.coef[9 * px + k];
                if (a == 0) {
                    continue;
                }
                int v = k == CENTRE ? u : index[px + f.offset[k]];
                for (int i = 4 * u; i < 4 * u + 4 && f.parent[i] >= 0; i++) {
                    int base = 9 * f.parent[i];
                    double wa = f.parentWeight[i] * a;
                    for (int j = 4 * v; j < 4 * v + 4 && f.parent[j] >= 0; j++) {
                        int slot = SLOT[3 * (parentY[j] - parentY[i] + 1) + parentX[j] - parentX[i] + 1];
                        coef[base + slot] += wa * f.parentWeight[j];
                    }
                }
            }
        }
        return new Level(hc, wc, unknown, coef);
    }

    /**
     * The coarse nodes fine pixel (y, x) interpolates from (bilinearly; a dimension that is not coarsened is copied),
     * into {@code pixels} and {@code weights}; returns how many (1, 2 or 4).
     */
    private static int parents(Level fine, int hc, int wc, int y, int x, int[] pixels, double[] weights) {
        boolean halveY = hc != fine.h;
        boolean halveX = wc != fine.w;
        int y0 = halveY ? y / 2 : y;
        int x0 = halveX ? x / 2 : x;
        int ny = halveY && (y & 1) == 1 ? 2 : 1;
        int nx = halveX && (x & 1) == 1 ? 2 : 1;
        double weight = 1.0 / (ny * nx);
        int n = 0;
        for (int a = 0; a < ny; a++) {
            for (int b = 0; b < nx; b++) {
                pixels[n] = (y0 + a) * wc + x0 + b;
                weights[n++] = weight;
            }
        }
        return n;
    }

    /** The exact solution on the coarsest level (at most 9 unknowns), by Cholesky. */
    private static void solveDense(Level l, double[] r, double[] z) {
        int n = l.order.length;
        if (n == 0) {
            return;
        }
        int[] index = new int[l.h * l.w];
        Arrays.fill(index, -1);
        for (int i = 0; i < n; i++) {
            index[l.order[i]] = i;
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            int px = l.order[i];
            int y = px / l.w;
            int x = px % l.w;
            a[i][i] = l.coef[9 * px + CENTRE];
            for (int k = 0; k < 8; k++) {
                int ny = y + DY[k];
                int nx = x + DX[k];
                if (ny >= 0 && ny < l.h && nx >= 0 && nx < l.w && index[ny * l.w + nx] >= 0) {
                    a[i][index[ny * l.w + nx]] = l.coef[9 * px + k];
                }
            }
        }
        // Cholesky, a = L Lᵀ with L in the lower triangle. A Galerkin operator may be singular (two coarse nodes
        // whose only fine unknowns are the same); its null space is that of P, which the prolongation removes, so
        // a pivot that vanishes drops its variable (set to 0): a symmetric generalised inverse.
        boolean[] dropped = new boolean[n];
        for (int j = 0; j < n; j++) {
            double s = a[j][j];
            double scale = a[j][j];
            for (int k = 0; k < j; k++) {
                s -= a[j][k] * a[j][k];
            }
            if (!(s > 1e-12 * scale)) {
                dropped[j] = true;
                for (int i = j; i < n; i++) {
                    a[i][j] = 0;
                }
                continue;
            }
            a[j][j] = Math.sqrt(s);
            for (int i = j + 1; i < n; i++) {
                double t = a[i][j];
                for (int k = 0; k < j; k++) {
                    t -= a[i][k] * a[j][k];
                }
                a[i][j] = t / a[j][j];
            }
        }
        double[] v = new double[n];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                double t = r[3 * l.order[i] + c];
                for (int k = 0; k < i; k++) {
                    t -= a[i][k] * v[k];
                }
                v[i] = dropped[i] ? 0 : t / a[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double t = v[i];
                for (int k = i + 1; k < n; k++) {
                    t -= a[k][i] * v[k];
                }
                v[i] = dropped[i] ? 0 : t / a[i][i];
            }
            for (int i = 0; i < n; i++) {
                z[3 * l.order[i] + c] = v[i];
            }
        }
    }
}
