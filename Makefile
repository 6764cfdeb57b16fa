# Developer shortcuts over CMake (the README's two commands are scripts/quickstart.sh and
# scripts/test.sh, which also install the Debian packages).
JOBS ?= $(shell nproc)

.PHONY: all build test unit asan fuzz bench format deps clean demo

all: build

deps:
	sh scripts/install-deps.sh --test

build:
	cmake -S . -B build/dev -DHC_WERROR=ON >/dev/null
	cmake --build build/dev -j $(JOBS)

# The whole suite, as CI runs it.
test:
	sh scripts/test.sh

# Only the dev-build tests (fast loop).
unit: build
	ctest --test-dir build/dev --output-on-failure -j $(JOBS)

asan:
	cmake -S . -B build/asan -DHC_WERROR=ON -DCMAKE_BUILD_TYPE=Debug -DHC_SANITIZE=address,undefined >/dev/null
	cmake --build build/asan -j $(JOBS)
	ctest --test-dir build/asan --output-on-failure -j $(JOBS)

# Long fuzz runs by hand: make fuzz SECONDS=600
SECONDS ?= 60
fuzz:
	CC=clang cmake -S . -B build/fuzz -DHC_BUILD_TESTS=OFF -DHC_FUZZ=ON -DHC_SANITIZE=address,undefined -DHC_FUZZ_SECONDS=$(SECONDS) >/dev/null
	cmake --build build/fuzz -j $(JOBS) --target fuzz_all
	ctest --test-dir build/fuzz --output-on-failure -j $(JOBS) -L fuzz

bench:
	cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DHC_BUILD_TESTS=OFF >/dev/null
	cmake --build build/bench -j $(JOBS)
	@for b in build/bench/bench/bench_*; do echo "== $$b"; $$b; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

demo:
	sh scripts/quickstart.sh

clean:
	rm -rf build
