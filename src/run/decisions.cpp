#include "trygg/run/decisions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

#include "trygg/run/comparison.hpp"
#include "trygg/run/decision.hpp"

namespace trygg::run {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The arms as the decision functions' options: the baseline first, then the others in order.
std::vector<std::size_t> option_arms(const output::ResultSet& results, std::size_t baseline) {
  std::vector<std::size_t> arms{baseline};
  for (std::size_t a = 0; a < results.arms.size(); ++a) {
    if (a != baseline) arms.push_back(a);
  }
  return arms;
}

// The parameter sets at which every arm has paired runs (rows of the decision matrices).
std::vector<std::size_t> complete_sets(const PairedRuns& paired, std::size_t arms) {
  std::vector<std::size_t> sets;
  for (std::size_t s = 0; s < paired.sets.size(); ++s) {
    bool complete = true;
    for (std::size_t a = 0; a < arms; ++a) {
      if (a != paired.baseline && paired.pairs[a][s].empty()) complete = false;
    }
    if (complete) sets.push_back(s);
  }
  return sets;
}

// [set][option]: the mean over a set's replicates of a quantity of the option's runs. The
// baseline's value is its runs' (paired with the first other arm: every arm's replicates are the
// same when the set is complete).
template <class Quantity>
Eigen::MatrixXd per_set(const PairedRuns& paired, const std::vector<std::size_t>& sets,
                        const std::vector<std::size_t>& options, Quantity quantity) {
  Eigen::MatrixXd values(static_cast<Eigen::Index>(sets.size()),
                         static_cast<Eigen::Index>(options.size()));
  for (std::size_t row = 0; row < sets.size(); ++row) {
    for (std::size_t column = 0; column < options.size(); ++column) {
      const std::size_t partner = options.size() > 1 ? options[1] : options[0];
      const auto& pairs = paired.pairs[column == 0 ? partner : options[column]][sets[row]];
      double sum = 0;
      for (const auto& [base, arm] : pairs) sum += quantity(column == 0 ? *base : *arm);
      values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) =
          pairs.empty() ? kNaN : sum / static_cast<double>(pairs.size());
    }
  }
  return values;
}

std::vector<double> willingness_grid(const output::Economics& economics) {
  std::vector<double> grid(kWillingnessToPayPoints);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    grid[i] = economics.willingness_to_pay_max_sek * static_cast<double>(i) /
              static_cast<double>(grid.size() - 1);
  }
  return grid;
}

bool all_finite(const Eigen::MatrixXd& m) {
  return m.size() > 0 && m.allFinite();
}

// Whether a flip found on the smoothed values stands out of the noise: on each side of it, the
// arm that wins there must beat the other by more than twice the standard error of the smoothed
// difference's mean on that side (from the sets' scatter about the fit). Between arms that are
// all but tied (EST with and without a small extra measure), the smooth curve crosses back and
// forth by chance; those crossings are not flips.
bool stands_out(const Eigen::MatrixXd& value, const Eigen::VectorXd& parameter,
                const RankingFlip& flip) {
  const Eigen::VectorXd difference = value.col(static_cast<Eigen::Index>(flip.best_above)) -
                                     value.col(static_cast<Eigen::Index>(flip.best_below));
  const Eigen::VectorXd fitted = smooth_on(parameter, difference);
  const Eigen::VectorXd residual = difference - fitted;
  const double scatter = std::sqrt(residual.squaredNorm() /
                                   std::max<double>(1, static_cast<double>(residual.size()) - 1));
  double best_below = 0;  // the most the arm best below wins by there (a positive number)
  double best_above = 0;
  Eigen::Index below = 0;
  Eigen::Index above = 0;
  for (Eigen::Index i = 0; i < parameter.size(); ++i) {
    if (parameter(i) < flip.at) {
      best_below = std::max(best_below, -fitted(i));
      ++below;
    } else {
      best_above = std::max(best_above, fitted(i));
      ++above;
    }
  }
  constexpr double kStandardErrors = 2;
  return below > 0 && above > 0 &&
         best_below > kStandardErrors * scatter / std::sqrt(static_cast<double>(below)) &&
         best_above > kStandardErrors * scatter / std::sqrt(static_cast<double>(above));
}

// Where the best arm changes between a designed sweep's points along each parameter (the
// others' points averaged): by offences for the municipality, and by net benefit at the
// reference willingness to pay.
void sweep_flips(const output::ResultSet& results, const PairedRuns& paired,
                 const std::vector<std::size_t>& options, output::DecisionSet& decision) {
  const output::SweepInfo& sweep = *results.sweep;
  const std::vector<std::size_t> sets = complete_sets(paired, results.arms.size());
  if (sets.size() < 2) return;
  const Area everywhere = compared_areas(results).front();
  const std::vector<double> discount = discounting(results);
  const Eigen::MatrixXd offences = per_set(paired, sets, options, [&](const auto& run) {
    return area_outcome(results, run, "offences", everywhere.districts);
  });
  const Eigen::MatrixXd offences_discounted = per_set(paired, sets, options, [&](const auto& run) {
    return area_outcome(results, run, "offences", everywhere.districts, discount);
  });
  const Eigen::MatrixXd cost = per_set(paired, sets, options, [&](const auto& run) {
    return area_cost(results, run, everywhere, discount);
  });
  const double wtp = results.economics.reference_willingness_to_pay_sek;
  Eigen::MatrixXd benefit(offences.rows(), offences.cols());
  for (Eigen::Index c = 0; c < offences.cols(); ++c) {
    benefit.col(c) = wtp * (offences_discounted.col(0) - offences_discounted.col(c)) -
                     (cost.col(c) - cost.col(0));
  }
  for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
    std::map<double, std::vector<std::size_t>> rows_at;
    for (std::size_t row = 0; row < sets.size(); ++row)
      rows_at[sweep.points.at(paired.sets[sets[row]]).at(j)].push_back(row);
    if (rows_at.size() < 2) continue;
    Eigen::VectorXd values(static_cast<Eigen::Index>(rows_at.size()));
    Eigen::MatrixXd fewest(values.size(), offences.cols());
    Eigen::MatrixXd most_benefit(values.size(), offences.cols());
    Eigen::Index k = 0;
    for (const auto& [value, rows] : rows_at) {
      values(k) = value;
      fewest.row(k).setZero();
      most_benefit.row(k).setZero();
      for (const std::size_t row : rows) {
        fewest.row(k) -= offences.row(static_cast<Eigen::Index>(row));
        most_benefit.row(k) += benefit.row(static_cast<Eigen::Index>(row));
      }
      fewest.row(k) /= static_cast<double>(rows.size());
      most_benefit.row(k) /= static_cast<double>(rows.size());
      ++k;
    }
    const auto add = [&](const std::vector<RankingFlip>& flips, const std::string& criterion) {
      for (const RankingFlip& flip : flips) {
        decision.flips.push_back({"sweep points", criterion, sweep.parameters[j], flip.at,
                                  results.arms[options[flip.best_below]].name,
                                  results.arms[options[flip.best_above]].name});
      }
    };
    add(ranking_flips_on_points(values, fewest), "offences");
    if (all_finite(most_benefit)) add(ranking_flips_on_points(values, most_benefit), "net_benefit");
  }
}

}  // namespace

void analyse_decisions(output::ResultSet& results) {
  results.decision.reset();
  if (results.arms.size() < 2 || !results.sweep || results.sweep->points.size() < 2) return;
  const PairedRuns paired = pair_runs(results);
  const std::vector<std::size_t> options = option_arms(results, paired.baseline);
  output::DecisionSet decision;
  if (results.sweep->parameter_sets.empty()) {
    sweep_flips(results, paired, options, decision);
    results.decision = std::move(decision);
    return;
  }
  const std::vector<std::size_t> sets = complete_sets(paired, results.arms.size());
  if (sets.size() < 2) return;
  decision.parameter_sets = static_cast<std::uint32_t>(sets.size());
  decision.replicates_per_set = static_cast<std::uint32_t>(
      paired.pairs[options.size() > 1 ? options[1] : options[0]][sets.front()].size());
  const std::vector<double> discount = discounting(results);
  const std::vector<double> grid = willingness_grid(results.economics);
  const auto name_of = [&](std::size_t column) { return results.arms[options[column]].name; };

  Eigen::MatrixXd municipal_cost;
  Eigen::MatrixXd municipal_effect;
  for (const Area& area : compared_areas(results)) {
    for (const char* outcome : kComparedOutcomes) {
      const Eigen::MatrixXd loss = per_set(paired, sets, options, [&](const auto& run) {
        return area_outcome(results, run, outcome, area.districts);
      });
      if (!all_finite(loss)) continue;
      const Eigen::VectorXd best = probability_best(loss);
      Eigen::MatrixXd change = loss;
      for (Eigen::Index c = 0; c < loss.cols(); ++c) change.col(c) -= loss.col(0);
      const Eigen::VectorXd reduction = probability_below(change);
      for (std::size_t c = 0; c < options.size(); ++c) {
        const auto column = static_cast<Eigen::Index>(c);
        decision.best.push_back(
            {area.name, outcome, name_of(c), best(column), c == 0 ? 0.0 : reduction(column)});
      }
    }
    // Cost and offences averted against the baseline, discounted.
    Eigen::MatrixXd cost = per_set(paired, sets, options, [&](const auto& run) {
      return area_cost(results, run, area, discount);
    });
    Eigen::MatrixXd effect = per_set(paired, sets, options, [&](const auto& run) {
      return area_outcome(results, run, "offences", area.districts, discount);
    });
    if (!all_finite(cost) || !all_finite(effect)) continue;
    for (Eigen::Index c = effect.cols(); c-- > 0;) {
      cost.col(c) -= cost.col(0);
      effect.col(c) = effect.col(0) - effect.col(c);
    }
    const Eigen::VectorXd mean_cost = cost.colwise().mean();
    const Eigen::VectorXd mean_effect = effect.colwise().mean();
    for (const FrontierRow& row : efficient_frontier(mean_cost, mean_effect)) {
      const auto o = static_cast<Eigen::Index>(row.option);
      decision.frontier.push_back({area.name, name_of(row.option), frontier_status_name(row.status),
                                   name_of(row.compared_with), mean_cost(o), mean_effect(o),
                                   row.incremental_cost, row.incremental_effect, row.icer});
    }
    const Eigen::MatrixXd curve = acceptability_curve(cost, effect, grid);
    const std::vector<std::size_t> chosen = expected_best(cost, effect, grid);
    const std::vector<double> perfect = evpi(cost, effect, grid);
    for (std::size_t w = 0; w < grid.size(); ++w) {
      for (std::size_t c = 0; c < options.size(); ++c) {
        decision.acceptability.push_back(
            {area.name, grid[w], name_of(c),
             curve(static_cast<Eigen::Index>(w), static_cast<Eigen::Index>(c)),
             chosen[w] == c ? 1U : 0U});
      }
      decision.information.push_back({area.name, "", grid[w], perfect[w]});
    }
    if (area.name == kMunicipality) {
      municipal_cost = cost;
      municipal_effect = effect;
    }
  }

  // The municipality: the value of perfect information on each parameter, and where the best
  // arm changes along those worth most at the reference willingness to pay.
  const output::SweepInfo& sweep = *results.sweep;
  const std::size_t parameters = sweep.parameters.size();
  if (municipal_cost.size() > 0 && parameters > 0 && sets.size() > 3) {
    Eigen::MatrixXd values(static_cast<Eigen::Index>(sets.size()),
                           static_cast<Eigen::Index>(parameters));
    for (std::size_t row = 0; row < sets.size(); ++row) {
      for (std::size_t j = 0; j < parameters; ++j) {
        values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(j)) =
            sweep.points.at(paired.sets[sets[row]]).at(j);
      }
    }
    const double reference = results.economics.reference_willingness_to_pay_sek;
    std::vector<double> with_reference = grid;
    with_reference.push_back(reference);
    const Eigen::MatrixXd partial = evppi(municipal_cost, municipal_effect, values, with_reference);
    for (std::size_t j = 0; j < parameters; ++j) {
      for (std::size_t w = 0; w < grid.size(); ++w) {
        decision.information.push_back(
            {kMunicipality, sweep.parameters[j], grid[w],
             partial(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(w))});
      }
    }
    std::vector<std::size_t> ranked(parameters);
    std::iota(ranked.begin(), ranked.end(), std::size_t{0});
    const auto at_reference = static_cast<Eigen::Index>(grid.size());
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
      return partial(static_cast<Eigen::Index>(a), at_reference) >
             partial(static_cast<Eigen::Index>(b), at_reference);
    });
    const Area everywhere = compared_areas(results).front();
    Eigen::MatrixXd fewest = -per_set(paired, sets, options, [&](const auto& run) {
      return area_outcome(results, run, "offences", everywhere.districts);
    });
    const Eigen::MatrixXd benefit = reference * municipal_effect - municipal_cost;
    for (std::size_t k = 0; k < std::min(kFlipParameters, parameters); ++k) {
      const std::size_t j = ranked[k];
      const Eigen::VectorXd parameter = values.col(static_cast<Eigen::Index>(j));
      const auto add = [&](const Eigen::MatrixXd& value, const std::string& criterion) {
        for (const RankingFlip& flip : ranking_flips(value, parameter)) {
          if (!stands_out(value, parameter, flip)) continue;
          decision.flips.push_back({"parameter sets", criterion, sweep.parameters[j], flip.at,
                                    name_of(flip.best_below), name_of(flip.best_above)});
        }
      };
      add(fewest, "offences");
      add(benefit, "net_benefit");
    }
  }
  results.decision = std::move(decision);
}

namespace {

std::string money(double value) {
  char text[32];
  if (std::isnan(value)) return "-";
  std::snprintf(text, sizeof text, "%.0f", value);
  return text;
}

}  // namespace

std::string format_decisions(const output::ResultSet& results,
                             const std::vector<std::string>& areas) {
  if (!results.decision) return "";
  const output::DecisionSet& d = *results.decision;
  std::vector<std::string> shown = {kMunicipality};
  shown.insert(shown.end(), areas.begin(), areas.end());
  const auto is_shown = [&](const std::string& area) {
    return std::find(shown.begin(), shown.end(), area) != shown.end();
  };
  std::string out;
  char line[512];
  if (d.parameter_sets > 0) {
    std::snprintf(line, sizeof line,
                  "Decision measures over %u parameter sets (%u paired replicates each; each "
                  "set's outcome the mean of its replicates). Costs in %lld prices; costs and "
                  "offences averted discounted at %.1f%% a year.\n",
                  d.parameter_sets, d.replicates_per_set,
                  static_cast<long long>(results.economics.price_year),
                  100.0 * results.economics.discount_rate);
    out += line;
    out +=
        "Probability that each arm is best (has the fewest) / of any reduction against the "
        "baseline, by outcome:\n";
    std::snprintf(line, sizeof line, "  %-16s %-12s", "area", "arm");
    out += line;
    for (const char* outcome : kComparedOutcomes) {
      std::snprintf(line, sizeof line, " %17.17s", outcome);
      out += line;
    }
    out += "\n";
    for (const std::string& area : shown) {
      std::vector<std::string> arms;
      for (const auto& row : d.best) {
        if (row.area == area && std::find(arms.begin(), arms.end(), row.arm) == arms.end())
          arms.push_back(row.arm);
      }
      for (const std::string& arm : arms) {
        std::snprintf(line, sizeof line, "  %-16.16s %-12.12s", area.c_str(), arm.c_str());
        out += line;
        for (const char* outcome : kComparedOutcomes) {
          for (const auto& row : d.best) {
            if (row.area != area || row.arm != arm || row.outcome != outcome) continue;
            std::snprintf(line, sizeof line, "        %4.0f%%/%3.0f%%",
                          100.0 * row.probability_best, 100.0 * row.probability_reduction);
            out += line;
          }
        }
        out += "\n";
      }
    }
    out +=
        "Efficient frontier (mean discounted cost against offences averted; each step's extra "
        "cost per extra offence averted):\n";
    std::snprintf(line, sizeof line, "  %-16s %-12s %14s %10s %-19s %-12s %16s\n", "area", "arm",
                  "cost (SEK)", "averted", "status", "after", "SEK per extra");
    out += line;
    for (const auto& row : d.frontier) {
      if (!is_shown(row.area)) continue;
      std::snprintf(line, sizeof line, "  %-16.16s %-12.12s %14.0f %10.1f %-19s %-12.12s %16s\n",
                    row.area.c_str(), row.arm.c_str(), row.cost_sek, row.offences_averted,
                    row.status.c_str(), row.compared_with.c_str(),
                    money(row.incremental_cost_per_offence_averted).c_str());
      out += line;
    }
    out +=
        "Acceptability (probability of the largest net benefit) and the expected value of "
        "perfect information (EVPI, SEK), municipality, by willingness to pay per offence "
        "averted (* the arm to choose):\n";
    std::vector<double> shown_wtp;
    for (const auto& row : d.information) {
      if (row.area != kMunicipality || !row.parameter.empty()) continue;
      const auto step = static_cast<std::size_t>(&row - d.information.data());
      if (step % (kWillingnessToPayPoints / 4) == 0)
        shown_wtp.push_back(row.willingness_to_pay_sek);
    }
    for (const double wtp : shown_wtp) {
      std::string cells;
      double value = kNaN;
      for (const auto& row : d.acceptability) {
        if (row.area != kMunicipality || row.willingness_to_pay_sek != wtp) continue;
        char cell[64];
        std::snprintf(cell, sizeof cell, " %s%s %.0f%%", row.arm.c_str(),
                      row.expected_best != 0 ? "*" : "", 100.0 * row.probability);
        cells += cell;
      }
      for (const auto& row : d.information) {
        if (row.area == kMunicipality && row.parameter.empty() && row.willingness_to_pay_sek == wtp)
          value = row.value_sek;
      }
      std::snprintf(line, sizeof line, "  %9.0f SEK:%s; EVPI %s\n", wtp, cells.c_str(),
                    money(value).c_str());
      out += line;
    }
    // EVPPI at the reference willingness to pay (the grid point nearest it).
    const double reference = results.economics.reference_willingness_to_pay_sek;
    double nearest = kNaN;
    for (const auto& row : d.information) {
      if (!row.parameter.empty() &&
          (std::isnan(nearest) ||
           std::fabs(row.willingness_to_pay_sek - reference) < std::fabs(nearest - reference)))
        nearest = row.willingness_to_pay_sek;
    }
    std::vector<std::pair<double, std::string>> partial;
    for (const auto& row : d.information) {
      if (!row.parameter.empty() && row.willingness_to_pay_sek == nearest)
        partial.emplace_back(row.value_sek, row.parameter);
    }
    std::sort(partial.rbegin(), partial.rend());
    if (!partial.empty()) {
      std::snprintf(line, sizeof line,
                    "Value of perfect information on each parameter (EVPPI, SEK, municipality, "
                    "at %.0f SEK per offence averted), largest first:\n",
                    nearest);
      out += line;
      for (const auto& [value, parameter] : partial) {
        std::snprintf(line, sizeof line, "  %-48s %12s\n", parameter.c_str(), money(value).c_str());
        out += line;
      }
    }
  }
  if (!d.flips.empty()) {
    out += "Where the best arm changes:\n";
    for (const auto& flip : d.flips) {
      std::snprintf(line, sizeof line, "  %-14s %-12s %-44s at %-12.6g %s below, %s above\n",
                    flip.source.c_str(), flip.criterion.c_str(), flip.parameter.c_str(), flip.at,
                    flip.best_below.c_str(), flip.best_above.c_str());
      out += line;
    }
  } else if (d.parameter_sets > 0) {
    out += "The best arm does not change along the parameters that matter most.\n";
  }
  return out;
}

}  // namespace trygg::run
