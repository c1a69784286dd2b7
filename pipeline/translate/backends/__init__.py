"""Translation backends: the engines under the translator (transformers' MarianMT, CTranslate2), their
contract and the registry that names them."""
