"""What the community knows: posts, podcast episodes and FAQ answers."""
