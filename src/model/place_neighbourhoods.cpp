#include "trygg/model/place_neighbourhoods.hpp"

#include <algorithm>
#include <cstddef>

#include "trygg/core/parallel.hpp"

namespace trygg::model {

namespace {

// One district's places bucketed on a square grid whose side is at least the widest reach
// asked about, so that every place within reach of a place lies in its cell or the eight
// around it. Within a cell places keep their index order.
class PlaceGrid {
 public:
  PlaceGrid(const world::Places& places, std::uint32_t first, std::uint32_t last, double reach)
      : places_(&places) {
    double min_x = 0;
    double min_y = 0;
    double max_x = 0;
    double max_y = 0;
    for (std::uint32_t p = first; p < last; ++p) {
      const double x = places.x_m[p];
      const double y = places.y_m[p];
      min_x = p == first ? x : std::min(min_x, x);
      min_y = p == first ? y : std::min(min_y, y);
      max_x = p == first ? x : std::max(max_x, x);
      max_y = p == first ? y : std::max(max_y, y);
    }
    origin_x_ = min_x;
    origin_y_ = min_y;
    // A little wider than the reach, so that rounding in the distance test never admits a
    // place two cells away; at least 1/256 of the district's extent, so that a tiny reach
    // does not ask for millions of cells.
    const double extent = std::max(max_x - min_x, max_y - min_y);
    side_ = std::max({reach * 1.001, extent / 256.0, 1e-3});
    columns_ = static_cast<std::size_t>((max_x - min_x) / side_) + 1;
    rows_ = static_cast<std::size_t>((max_y - min_y) / side_) + 1;
    cell_first_.assign(columns_ * rows_ + 1, 0);
    for (std::uint32_t p = first; p < last; ++p) ++cell_first_[cell_of(p) + 1];
    for (std::size_t c = 1; c < cell_first_.size(); ++c) cell_first_[c] += cell_first_[c - 1];
    members_.resize(last - first);
    std::vector<std::uint32_t> filled(cell_first_.begin(), cell_first_.end() - 1);
    for (std::uint32_t p = first; p < last; ++p) members_[filled[cell_of(p)]++] = p;
  }

  // The places in p's cell and the eight around it, p included, in no particular order.
  void candidates(std::uint32_t p, std::vector<std::uint32_t>& out) const {
    out.clear();
    const std::size_t column = column_of(p);
    const std::size_t row = row_of(p);
    for (std::size_t r = row > 0 ? row - 1 : 0; r <= std::min(row + 1, rows_ - 1); ++r) {
      for (std::size_t c = column > 0 ? column - 1 : 0; c <= std::min(column + 1, columns_ - 1);
           ++c) {
        const std::size_t cell = r * columns_ + c;
        out.insert(out.end(), members_.data() + cell_first_[cell],
                   members_.data() + cell_first_[cell + 1]);
      }
    }
  }

 private:
  std::size_t column_of(std::uint32_t p) const {
    return std::min(static_cast<std::size_t>((places_->x_m[p] - origin_x_) / side_), columns_ - 1);
  }
  std::size_t row_of(std::uint32_t p) const {
    return std::min(static_cast<std::size_t>((places_->y_m[p] - origin_y_) / side_), rows_ - 1);
  }
  std::size_t cell_of(std::uint32_t p) const { return row_of(p) * columns_ + column_of(p); }

  const world::Places* places_;
  double origin_x_ = 0;
  double origin_y_ = 0;
  double side_ = 1;
  std::size_t columns_ = 1;
  std::size_t rows_ = 1;
  std::vector<std::size_t> cell_first_;
  std::vector<std::uint32_t> members_;
};

// One block of places' lists, and how many each place has.
struct BlockLists {
  std::vector<std::uint32_t> list;
  std::vector<std::uint32_t> count;

  void close_place(std::size_t list_before) {
    count.push_back(static_cast<std::uint32_t>(list.size() - list_before));
    // In index order, as the sums over a neighbourhood add them.
    std::sort(list.begin() + static_cast<std::ptrdiff_t>(list_before), list.end());
  }
};

// The blocks' lists one after another, in block order: every place's, in place order.
PlaceLists concatenate(const std::vector<BlockLists>& blocks) {
  PlaceLists lists;
  for (const BlockLists& block : blocks) {
    lists.list.insert(lists.list.end(), block.list.begin(), block.list.end());
    for (const std::uint32_t n : block.count) lists.first.push_back(lists.first.back() + n);
  }
  return lists;
}

}  // namespace

PlaceNeighbourhoods find_place_neighbourhoods(const world::Places& places, double near_m,
                                              double catchment_m) {
  const double near2 = near_m * near_m;
  const double catchment2 = catchment_m * catchment_m;
  std::vector<PlaceGrid> grids;
  for (std::size_t d = 0; d + 1 < places.first.size(); ++d) {
    grids.emplace_back(places, places.first[d], places.first[d + 1], std::max(near_m, catchment_m));
  }
  const std::size_t blocks = block_count(places.size(), kBlockRows);
  std::vector<BlockLists> near(blocks);
  std::vector<BlockLists> catchment(blocks);
  for_each_block(places.size(), kBlockRows, [&](const BlockRange& range) {
    std::vector<std::uint32_t> candidates;
    for (std::size_t p = range.begin; p < range.end; ++p) {
      grids[places.district[p]].candidates(static_cast<std::uint32_t>(p), candidates);
      const std::size_t near_before = near[range.index].list.size();
      const std::size_t catchment_before = catchment[range.index].list.size();
      for (const std::uint32_t q : candidates) {
        if (q == p) continue;
        const double dx = places.x_m[p] - places.x_m[q];
        const double dy = places.y_m[p] - places.y_m[q];
        const double distance2 = dx * dx + dy * dy;
        if (distance2 <= near2) near[range.index].list.push_back(q);
        if (distance2 <= catchment2) catchment[range.index].list.push_back(q);
      }
      near[range.index].close_place(near_before);
      catchment[range.index].close_place(catchment_before);
    }
  });
  return {.near = concatenate(near), .catchment = concatenate(catchment)};
}

}  // namespace trygg::model
