module imagegate.io/bench/clock

go 1.21
