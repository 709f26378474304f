// C++ threads: std::thread, std::async/future, condition_variable, atomics,
// exceptions thrown in one thread and rethrown in another via std::future.
#include <atomic>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

int main() {
    std::atomic<long> total{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 6; t++)
        pool.emplace_back([&total, t] {
            for (int i = 0; i < 10000; i++) total.fetch_add(t + 1, std::memory_order_relaxed);
        });
    for (auto &th : pool) th.join();
    std::cout << "atomic total = " << total << "\n";

    std::vector<std::future<long>> parts;
    for (int k = 0; k < 4; k++)
        parts.push_back(std::async(std::launch::async, [k] {
            long s = 0;
            for (long i = k * 250000; i < (k + 1) * 250000; i++) s += i % 7;
            return s;
        }));
    long sum = 0;
    for (auto &f : parts) sum += f.get();
    std::cout << "async sum = " << sum << "\n";

    std::mutex m;
    std::condition_variable cv;
    int stage = 0;
    std::thread pinger([&] {
        for (int i = 0; i < 100; i++) {
            std::unique_lock<std::mutex> lk(m);
            cv.wait(lk, [&] { return stage % 2 == 0; });
            stage++;
            cv.notify_all();
        }
    });
    std::thread ponger([&] {
        for (int i = 0; i < 100; i++) {
            std::unique_lock<std::mutex> lk(m);
            cv.wait(lk, [&] { return stage % 2 == 1; });
            stage++;
            cv.notify_all();
        }
    });
    pinger.join();
    ponger.join();
    std::cout << "ping-pong stages = " << stage << "\n";

    auto failing = std::async(std::launch::async, []() -> int { throw std::runtime_error("from a thread"); });
    try {
        failing.get();
    } catch (const std::exception &e) {
        std::cout << "caught across threads: " << e.what() << "\n";
    }

    std::promise<std::string> promise;
    std::thread setter([&promise] { promise.set_value("promise kept"); });
    std::cout << promise.get_future().get() << "\n";
    setter.join();
    std::cout << "hardware_concurrency >= 1: " << (std::thread::hardware_concurrency() >= 1 ? "yes" : "no") << "\n";
    return 0;
}
