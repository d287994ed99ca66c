import { useCallback, useSyncExternalStore } from "react";

import { EMPTY_CART, type CartState } from "./cart";
import { browserStorage, cartSnapshot, loadCart, saveCart, subscribeCart } from "./cartStorage";

export interface CartHandle {
  cart: CartState;
  /** Change the cart from its stored state (never from a stale render's copy). */
  update: (change: (cart: CartState) => CartState) => void;
}

/** The cart of `userId`, kept in localStorage and shared by every component showing it. */
export function useCart(userId: string): CartHandle {
  const cart = useSyncExternalStore(
    subscribeCart,
    () => cartSnapshot(browserStorage(), userId),
    () => EMPTY_CART,
  );
  const update = useCallback(
    (change: (cart: CartState) => CartState) => {
      const storage = browserStorage();
      saveCart(storage, userId, change(loadCart(storage, userId)));
    },
    [userId],
  );
  return { cart, update };
}
