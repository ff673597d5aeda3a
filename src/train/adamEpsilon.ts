/**
 * Adam's ε, PyTorch's default (Keras and tfjs use 1e-7). It is the floor of Adam's rescue: a steady gradient g
 * moves a weight by about lr·g/(|g| + ε), the full step only while |g| ≫ ε. No tfjs here: the tour reads it.
 */
export const ADAM_EPSILON = 1e-8;
