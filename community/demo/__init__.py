"""Demo content written for this project, loaded by `make run` into an empty database."""
