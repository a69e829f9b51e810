#include "trygg/core/distributions.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>

namespace trygg {

double gamma_multiplier(double spread, double u) {
  if (spread <= 0) return 1.0;
  // Shape k = 1 / spread^2 and scale 1 / k give mean 1 and the wanted coefficient of variation.
  const double shape = 1.0 / (spread * spread);
  const double p = std::clamp(u, 1e-12, 1.0 - 1e-12);
  // In double precision throughout: Boost's default promotes to long double (x87), five times
  // slower for no figure anyone reads (the quantile is kept as a float), and two of these are
  // drawn for every resident of a run.
  using DoublePrecision =
      boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  return boost::math::gamma_p_inv(shape, p, DoublePrecision()) / shape;
}

}  // namespace trygg
