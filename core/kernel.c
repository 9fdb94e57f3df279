/* The training loop of core/training.py in C: the same arithmetic, in the same order.
 *
 * Weights of all layers lie in one array `flat`, layer l from w_start[l], one row per neuron with
 * the bias last (the tutorial's layout). Activations and deltas of all layers lie in `acts` and
 * `deltas`, layer l (0 = inputs) from act_start[l]. Compiled with -ffp-contract=off and without
 * fast-math, so every sum and product rounds exactly as numpy's do: bias first, then inputs in
 * order; updates w -= (lr * delta) * x.
 */
#include <math.h>
#include <string.h>

enum { SIGMOID = 0, TANH = 1, RELU = 2, LINEAR = 3, SOFTMAX = 4 };

static double transfer(int code, double z) {
    switch (code) {
    case SIGMOID: return 1.0 / (1.0 + exp(-z));
    case TANH: return tanh(z);
    case RELU: return z > 0.0 ? z : 0.0;
    default: return z;
    }
}

static double derivative(int code, double output) {
    switch (code) {
    case SIGMOID: return output * (1.0 - output);
    case TANH: return 1.0 - output * output;
    case RELU: return output > 0.0 ? 1.0 : 0.0;
    default: return 1.0;
    }
}

/* Train one epoch per row of `orders`; returns how many epochs ended with finite numbers
 * (an epoch that made a number infinite or NaN is undone and training stops there). */
long train_epochs(double *flat, long n_weights, const long *w_start, const long *sizes,
                  const long *act_start, long n_layers, int hidden_code, int output_code,
                  const double *features, const double *targets, const long *orders,
                  long n_epochs, long n_rows, double learning_rate, long batch_size,
                  double *sse_out, double *loss_out,
                  double *acts, double *deltas, double *step_sum, double *backup) {
    const long n_in0 = sizes[0], n_out = sizes[n_layers], out0 = act_start[n_layers];
    const long step = (batch_size > 0 && batch_size < n_rows) ? batch_size : n_rows;
    for (long e = 0; e < n_epochs; e++) {
        memcpy(backup, flat, sizeof(double) * n_weights);
        double sum_error = 0.0, sum_loss = 0.0;
        for (long start = 0; start < n_rows; start += step) {
            const long stop = start + step < n_rows ? start + step : n_rows;
            if (step > 1) memset(step_sum, 0, sizeof(double) * n_weights);
            for (long r = start; r < stop; r++) {
                const long row = orders[e * n_rows + r];
                const double *x = features + row * n_in0, *t = targets + row * n_out;
                /* forward: z = b + sum(w * x), output = f(z), layer by layer */
                memcpy(acts, x, sizeof(double) * n_in0);
                for (long l = 0; l < n_layers; l++) {
                    const long n_in = sizes[l], n = sizes[l + 1];
                    const int code = l == n_layers - 1 ? output_code : hidden_code;
                    const double *restrict in = acts + act_start[l];
                    double *restrict out = acts + act_start[l + 1];
                    for (long j = 0; j < n; j++) {
                        const double *restrict w = flat + w_start[l] + j * (n_in + 1);
                        double z = w[n_in];
                        for (long i = 0; i < n_in; i++) z += w[i] * in[i];
                        out[j] = z;
                    }
                    if (code == SIGMOID) {
                        for (long j = 0; j < n; j++) out[j] = 1.0 / (1.0 + exp(-out[j]));
                    } else if (code != SOFTMAX) {
                        for (long j = 0; j < n; j++) out[j] = transfer(code, out[j]);
                    }
                }
                double *o = acts + out0;
                if (output_code == SOFTMAX) {
                    double top = o[0], total = 0.0;
                    for (long j = 1; j < n_out; j++) top = o[j] > top ? o[j] : top;
                    for (long j = 0; j < n_out; j++) { o[j] = exp(o[j] - top); total += o[j]; }
                    for (long j = 0; j < n_out; j++) o[j] = o[j] / total;
                }
                /* the error of this row */
                double row_error = 0.0, row_loss = 0.0;
                for (long j = 0; j < n_out; j++) {
                    const double diff = t[j] - o[j];
                    row_error += diff * diff;
                    if (output_code == SOFTMAX) row_loss += t[j] * log(o[j] > 1e-300 ? o[j] : 1e-300);
                }
                sum_error += row_error;
                sum_loss += output_code == SOFTMAX ? -row_loss : row_error;
                /* backward: output deltas, then hidden deltas from the layer above */
                double *d_out = deltas + out0;
                for (long j = 0; j < n_out; j++) {
                    const double error = o[j] - t[j];
                    d_out[j] = output_code == SOFTMAX ? error : error * derivative(output_code, o[j]);
                }
                for (long l = n_layers - 2; l >= 0; l--) {
                    const long n = sizes[l + 1], n_above = sizes[l + 2];
                    const double *restrict w_above = flat + w_start[l + 1];
                    const double *restrict d_above = deltas + act_start[l + 2];
                    const double *restrict h = acts + act_start[l + 1];
                    double *restrict d = deltas + act_start[l + 1];
                    for (long j = 0; j < n; j++) d[j] = 0.0;
                    for (long k = 0; k < n_above; k++) {
                        const double dk = d_above[k];
                        const double *restrict wk = w_above + k * (n + 1);
                        for (long j = 0; j < n; j++) d[j] += wk[j] * dk;
                    }
                    for (long j = 0; j < n; j++) d[j] = d[j] * derivative(hidden_code, h[j]);
                }
                /* update (online) or accumulate (batch): w -= (lr * delta) * x, b -= lr * delta */
                for (long l = 0; l < n_layers; l++) {
                    const long n_in = sizes[l];
                    const double *in = acts + act_start[l], *d = deltas + act_start[l + 1];
                    double *w = (step == 1 ? flat : step_sum) + w_start[l];
                    for (long j = 0; j < sizes[l + 1]; j++, w += n_in + 1) {
                        const double s = learning_rate * d[j];
                        if (step == 1) {
                            for (long i = 0; i < n_in; i++) w[i] -= s * in[i];
                            w[n_in] -= s;
                        } else {
                            for (long i = 0; i < n_in; i++) w[i] += s * in[i];
                            w[n_in] += s;
                        }
                    }
                }
            }
            if (step > 1) {
                const double count = (double)(stop - start);
                for (long p = 0; p < n_weights; p++) flat[p] -= step_sum[p] / count;
            }
        }
        int finite = isfinite(sum_error) && isfinite(sum_loss);
        for (long p = 0; finite && p < n_weights; p++) finite = isfinite(flat[p]);
        if (!finite) {
            memcpy(flat, backup, sizeof(double) * n_weights);
            return e;
        }
        sse_out[e] = sum_error;
        loss_out[e] = sum_loss;
    }
    return n_epochs;
}
