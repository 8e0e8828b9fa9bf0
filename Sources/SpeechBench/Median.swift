/// The median of `values`: the middle one, or the mean of the two middle ones for an even count;
/// NaN for none. Benchmarks report medians over runs, so one burst of machine noise moves nothing.
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return .nan }
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
