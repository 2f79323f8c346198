// fibersql::runtime alone: fibers talk over a channel.
#include <fibersql/runtime/runtime.hpp>

int main() {
  const int sum = fibersql::run([] {
    fibersql::channel<int> numbers(4);
    auto producer = fibersql::spawn([&] {
      for (int i = 1; i <= 10; ++i) numbers.send(i);
      numbers.close();
    });
    int total = 0;
    while (auto n = numbers.receive()) total += *n;
    producer.join();
    return total;
  });
  return sum == 55 ? 0 : 1;
}
